import { isUuid } from '../../monitor/findings/safe-token.js';

/**
 * False for values that cannot hold any entity, decided in one pass before
 * any recognizer runs: ids, enum values, short codes and timestamps are in
 * nearly every event. A value can hold PII when it is long, or has a space,
 * `@`, `/` or `:`, or six digits or more (the shortest numeric entity, a
 * UK NINO, has six), or four digits and a dot (the shortest IPv4). UUIDs and
 * RFC 3339 timestamps never do.
 */
export function mayHoldPii(value: string): boolean {
  const n = value.length;
  if (n < 3 || isUuid(value)) return false;
  if (
    n >= 16 &&
    n <= 40 &&
    value.charCodeAt(4) === 45 &&
    value.charCodeAt(10) === 84 &&
    TIMESTAMP.test(value)
  )
    return false;
  if (n >= 25) return true;
  let digits = 0;
  let dot = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46) dot = true;
    // space, tab, newline, @, /, :
    else if (c === 32 || c === 9 || c === 10 || c === 64 || c === 47 || c === 58 || c > 127) return true;
  }
  return digits >= 6 || (digits >= 4 && dot);
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;
