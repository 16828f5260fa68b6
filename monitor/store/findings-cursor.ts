import { InvalidFilterError } from './invalid-filter-error.js';

/** Position after the last row of a page: its last_seen (microseconds, UTC) and seq. */
export interface FindingsCursor {
  lastSeen: string;
  seq: string;
}

const LAST_SEEN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(c: FindingsCursor): string {
  return Buffer.from(JSON.stringify([c.lastSeen, c.seq])).toString('base64url');
}

export function decodeCursor(cursor: string): FindingsCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    !LAST_SEEN.test(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    !/^\d{1,19}$/.test(parsed[1])
  ) {
    throw new InvalidFilterError('cursor', 'cursor is not one this server issued');
  }
  return { lastSeen: parsed[0], seq: parsed[1] };
}
