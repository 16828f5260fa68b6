import { isSafeToken, saltedHash } from '../../monitor/findings/safe-token.js';

/** One string value inside an event, with where it sits. */
export interface StringValue {
  /** Pointer with array indexes as `items` and unsafe keys hashed: matches contract governance keys. */
  attribute: string;
  /** Pointer with the real array indexes (keys hashed when unsafe), for evidence. */
  pointer: string;
  value: string;
  /** The object or array holding the value, and its key there, so a redactor can rewrite it. */
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

// Keys repeat from event to event: the pointer suffix ("/key") of each safe key is remembered, so
// the hot path neither re-tests the key nor builds a new string (whose hash a Map lookup would
// compute again). Only safe keys are kept: they need no hash, so a new salt cannot make them stale.
const suffixes = new Map<string, string>();
const MAX_SUFFIXES = 4096;

/** "/key" when the key is a plain identifier, else "/" and its salted hash. */
function suffix(key: string): string {
  const known = suffixes.get(key);
  if (known !== undefined) return known;
  // A hash holds neither "/" nor "~", so it needs no escaping as a pointer segment.
  if (!isSafeToken(key)) return `/${saltedHash(key)}`;
  if (suffixes.size >= MAX_SUFFIXES) suffixes.clear();
  const made = `/${key}`;
  suffixes.set(key, made);
  return made;
}

/** Called for each string: where it sits, the value, and its holder and key there (to rewrite it). */
export type StringVisitor = (
  attribute: string,
  pointer: string,
  value: string,
  parent: Record<string, unknown> | unknown[],
  key: string | number,
) => void;

/**
 * Visits every string value of an event, nested objects and arrays included,
 * in document order, without building a list (the detector's hot path). Keys
 * come from traffic, so those that are not plain identifiers are hashed
 * before they can reach a finding.
 */
export function visitStrings(event: unknown, fn: StringVisitor): void {
  if (event !== null && typeof event === 'object') walk(event as Record<string, unknown>, '', '', fn);
}

function walk(
  container: Record<string, unknown> | unknown[],
  attribute: string,
  pointer: string,
  fn: StringVisitor,
): void {
  if (Array.isArray(container)) {
    const at = `${attribute}/items`;
    for (let i = 0; i < container.length; i++) visit(container, i, at, `${pointer}/${i}`, fn);
    return;
  }
  for (const key in container) {
    if (!Object.hasOwn(container, key)) continue;
    const k = suffix(key);
    // Top-level keys use the remembered string itself; outside arrays both pointers are one string.
    const at = attribute === '' ? k : attribute + k;
    visit(container, key, at, attribute === pointer ? at : pointer + k, fn);
  }
}

function visit(
  parent: Record<string, unknown> | unknown[],
  key: string | number,
  attribute: string,
  pointer: string,
  fn: StringVisitor,
): void {
  const value = (parent as Record<string | number, unknown>)[key];
  if (typeof value === 'string') fn(attribute, pointer, value, parent, key);
  else if (value !== null && typeof value === 'object')
    walk(value as Record<string, unknown>, attribute, pointer, fn);
}

/** Every string value of an event as a list (see visitStrings). */
export function stringValues(event: unknown): StringValue[] {
  const out: StringValue[] = [];
  visitStrings(event, (attribute, pointer, value, parent, key) =>
    out.push({ attribute, pointer, value, parent, key }),
  );
  return out;
}
