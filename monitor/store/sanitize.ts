import { SEVERITIES, type Severity } from '../findings/finding.js';

/*
 * PostgreSQL refuses NUL characters in text and jsonb, and lone UTF-16
 * surrogates in jsonb. One such character would fail a whole batch, and the
 * writer would retry it forever, so they are replaced before writing.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function storableText(s: string): string {
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(s) ? s.replace(UNSTORABLE, '\ufffd') : s;
}

export function storableTextOrNull(s: string | null | undefined): string | null {
  return s === null || s === undefined ? null : storableText(String(s));
}

/** A deep copy of a JSON value whose strings (keys included) are storable. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[storableText(k)] = storableJson(v);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Normalized RFC 3339 UTC, or null when absent or not a timestamp. */
export function isoOrNull(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return null;
  const iso = new Date(t).toISOString();
  // Years past 9999 print as "+010000-..." which PostgreSQL does not read.
  return iso.length === 24 ? iso : null;
}

export function knownSeverity(s: string): Severity {
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : 'error';
}
