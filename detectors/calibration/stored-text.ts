/**
 * A string from traffic (an event id, a predicted intent, a label, a model
 * version) as a snapshot keeps it. Snapshots are stored as PostgreSQL jsonb,
 * which refuses NUL and lone UTF-16 surrogates: a single such value would
 * fail the save of every contract's snapshot. Such a string is kept as its
 * UTF-16 code units instead, so it comes back exactly (a lossy replacement
 * would keep its label from ever joining); any other string is itself.
 */
export type StoredText = string | number[];

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function storeText(s: string): StoredText {
  if (!UNSTORABLE.test(s)) return s;
  const units: number[] = new Array(s.length);
  for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
  return units;
}

export function readText(t: StoredText): string {
  if (typeof t === 'string') return t;
  if (!Array.isArray(t)) throw new TypeError('stored text is neither a string nor code units');
  let s = '';
  // In chunks: spreading a long array into one call could overflow the stack.
  for (let i = 0; i < t.length; i += 4096) s += String.fromCharCode(...t.slice(i, i + 4096));
  return s;
}
