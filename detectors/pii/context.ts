import type { TextView } from './text-view.js';

/** How far before a match context words are looked for (characters; Presidio looks five words back). */
export const CONTEXT_BEFORE = 48;
/** How far after a match context words are looked for. */
export const CONTEXT_AFTER = 24;
/** What context adds to a score, and the least score a match with context gets (Presidio's defaults). */
export const CONTEXT_BOOST = 0.35;
export const MIN_SCORE_WITH_CONTEXT = 0.4;

/**
 * True when one of `words` (lowercase) appears near [start, end): within
 * CONTEXT_BEFORE characters before it or CONTEXT_AFTER after it, starting at a
 * word boundary (so "tel" does not fire inside "hotel"), and not inside the
 * match itself.
 *
 * The words are found once per text and list (contextHits), then each
 * call looks only at the hits in its window: recognizers ask many times per
 * text (every phone candidate), and one pass per word over the text stays
 * linear however many matches a long text holds. `words` must be a constant
 * list, since hits are kept per list.
 */
export function hasContext(
  view: TextView,
  start: number,
  end: number,
  words: readonly string[],
  before = CONTEXT_BEFORE,
  after = CONTEXT_AFTER,
): boolean {
  const from = Math.max(0, start - before);
  const to = Math.min(view.text.length, end + after);
  const hits = contextHits(view, words);
  // The first hit starting at or after `from` (hits are sorted by start).
  let lo = 0;
  let hi = hits.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[2 * mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  for (let k = 2 * lo; k < hits.length && hits[k]! < to; k += 2) {
    const s = hits[k]!;
    const e = hits[k + 1]!;
    if (e <= to && (e <= start || s >= end)) return true;
  }
  return false;
}

const NO_HITS = new Int32Array(0);

/** Each constant word list's words by first letter (a to z), shortest first, so hits at one start come out sorted. */
const byFirstLetter = new WeakMap<readonly string[], readonly (readonly string[] | undefined)[]>();

function indexOf(words: readonly string[]): readonly (readonly string[] | undefined)[] {
  let index = byFirstLetter.get(words);
  if (index === undefined) {
    const table: string[][] = [];
    for (const w of [...words].sort((a, b) => a.length - b.length)) {
      const k = w.charCodeAt(0) - 97;
      if (k < 0 || k >= 26) throw new Error(`context word "${w}" must start with a lowercase ASCII letter`);
      table[k] ??= [];
      table[k].push(w);
    }
    index = table;
    byFirstLetter.set(words, index);
  }
  return index;
}

/**
 * Where the words start at a word boundary in the text, as sorted [start,
 * end) pairs. Only the text's word starts (TextView.wordStarts) are tried,
 * each against the list's words of its first letter: a 200-character text
 * has some 35 word starts, and this costs less than one indexOf per word.
 */
function contextHits(view: TextView, words: readonly string[]): Int32Array {
  const cache = view.contextHits;
  const cached = cache.get(words);
  if (cached) return cached;
  const index = indexOf(words);
  const lower = view.lower;
  const starts = view.wordStarts;
  let found: number[] | undefined;
  for (let k = 0; k < starts.length; k++) {
    const at = starts[k]!;
    const letter = lower.charCodeAt(at) - 97;
    const bucket = letter >= 0 && letter < 26 ? index[letter] : undefined;
    if (bucket === undefined) continue;
    for (const w of bucket) {
      if (!lower.startsWith(w, at)) continue;
      // A Kelvin sign before it lowercases to "k": the word does not start there in the lowercased text.
      if (at > 0 && lower.charCodeAt(at - 1) === 107) continue;
      found ??= [];
      found.push(at, at + w.length);
    }
  }
  const hits = found ? Int32Array.from(found) : NO_HITS;
  cache.set(words, hits);
  return hits;
}

/** The score after context: base + boost when a context word is near, capped at 1. */
export function withContext(base: number, context: boolean): number {
  if (!context) return base;
  return Math.min(1, Math.max(MIN_SCORE_WITH_CONTEXT, base + CONTEXT_BOOST));
}
