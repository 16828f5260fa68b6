import { createHmac, randomBytes } from 'node:crypto';
import { childPointer, pointerKeys } from './json-pointer.js';

/**
 * Values that come from traffic (attribute names, enum values) may end up in
 * findings. Short identifier-like tokens are kept as they are, because a data
 * team needs to read "intent value refund_status appeared"; anything else is
 * replaced by a salted hash, so raw PII never reaches the store or the logs.
 */

let salt = randomBytes(16);

/** Sets the salt (from configuration) so hashes are stable across restarts and replicas. */
export function setHashSalt(value: string): void {
  salt = Buffer.from(value, 'utf8');
}

export function saltedHash(value: string): string {
  return `hash:${createHmac('sha256', salt).update(value).digest('hex').slice(0, 16)}`;
}

// Identifier-like: letters first, no @, no spaces, no long digit runs (phone, card, account numbers).
const SAFE = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const DIGIT_RUN = /\d{5,}/;

export function isSafeToken(value: string): boolean {
  return SAFE.test(value) && !DIGIT_RUN.test(value);
}

export function safeToken(value: string): string {
  return isSafeToken(value) ? value : saltedHash(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for an RFC 4122-shaped UUID: opaque by construction, so it cannot hold PII. */
export function isUuid(value: string): boolean {
  return value.length === 36 && value.charCodeAt(8) === 45 && UUID.test(value);
}

/**
 * A JSON pointer with every key that could be personal data replaced by
 * its salted hash: array indexes and identifier-like keys stay readable, and
 * a key that is itself a pointer (a contract's attribute, "/text") is made
 * safe key by key, so "/attributes/~1text/pii" stays as it is while
 * "/attributes/~1jane.doe@example.com/pii" does not carry the address.
 */
export function safePointer(pointer: string): string {
  if (pointer === '' || pointer === '/') return pointer;
  const safeKey = (key: string): string => {
    // An array index (short: a long digit run may be a phone or card number), a token, or a
    // JSON Schema keyword ($ref, $defs) stays readable.
    if (/^(0|[1-9]\d{0,3})$/.test(key) || isSafeToken(key) || /^\$[A-Za-z]+$/.test(key)) return key;
    if (key.startsWith('/')) return safePointer(key);
    return saltedHash(key);
  };
  return pointerKeys(pointer).reduce((out, key) => childPointer(out, safeKey(key)), '');
}
