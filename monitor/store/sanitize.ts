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

/** An escape JSON.stringify writes for NUL or a lone surrogate, which PostgreSQL refuses in json as text and in jsonb. */
const REFUSED_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/**
 * JSON text of a value for a json or jsonb parameter (rows sent as one
 * document). Consent events reach the store unchecked for such characters,
 * and one would fail the batch and every retry of it: they become U+FFFD.
 * The scan is over the text, so the common case costs no copy.
 */
export function storableJsonText(value: unknown): string {
  const text = JSON.stringify(value);
  return REFUSED_ESCAPE.test(text) ? JSON.stringify(storableJson(value)) : text;
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
