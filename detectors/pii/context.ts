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

/** Where the words start at a word boundary in the text, as sorted [start, end) pairs. */
function contextHits(view: TextView, words: readonly string[]): Int32Array {
  const cache = view.contextHits;
  const cached = cache.get(words);
  if (cached) return cached;
  const lower = view.lower;
  let found: number[] | undefined;
  let sorted = true;
  for (const w of words) {
    for (let at = lower.indexOf(w); at !== -1; at = lower.indexOf(w, at + 1)) {
      if (at !== 0 && isWordChar(lower.charCodeAt(at - 1))) continue;
      found ??= [];
      if (found.length > 0 && found[found.length - 2]! > at) sorted = false;
      found.push(at, at + w.length);
    }
  }
  let hits = NO_HITS;
  if (found && sorted) hits = Int32Array.from(found);
  else if (found) {
    const pairs: [number, number][] = [];
    for (let k = 0; k < found.length; k += 2) pairs.push([found[k]!, found[k + 1]!]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    hits = Int32Array.from(pairs.flat());
  }
  cache.set(words, hits);
  return hits;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** The score after context: base + boost when a context word is near, capped at 1. */
export function withContext(base: number, context: boolean): number {
  if (!context) return base;
  return Math.min(1, Math.max(MIN_SCORE_WITH_CONTEXT, base + CONTEXT_BOOST));
}
