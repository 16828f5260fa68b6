import { saltedHash } from '../../monitor/findings/safe-token.js';

/**
 * The record ids earshot makes, which name no one: a consent event's UUID
 * with the purpose and status, a content hash, or a salted hash (an id
 * hashed already, as erasure leaves them).
 */
const MADE_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[a-z][a-z0-9_]{0,63}:(?:granted|denied|withdrawn)|h:[0-9a-f]{32}|hash:[0-9a-f]{16})$/i;

export function isMadeRecordId(id: string): boolean {
  return MADE_ID.test(id);
}

/**
 * A record id as evidence (findings, reports, the audit log): an id earshot
 * made is kept so the record can be looked up; any other (an imported id,
 * which may hold an email or a customer number) is replaced by its salted
 * hash. Hashing twice gives the same hash.
 */
export function safeRecordId(id: string): string {
  return MADE_ID.test(id) ? id : saltedHash(id);
}
