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
 * CONTEXT_BEFORE characters before it or CONTEXT_AFTER after it.
 */
export function hasContext(
  view: TextView,
  start: number,
  end: number,
  words: readonly string[],
  before = CONTEXT_BEFORE,
  after = CONTEXT_AFTER,
): boolean {
  const lower = view.lower;
  const from = Math.max(0, start - before);
  const to = Math.min(lower.length, end + after);
  for (const w of words) {
    let at = lower.indexOf(w, from);
    while (at !== -1 && at + w.length <= to) {
      if (at + w.length <= start || at >= end) return true;
      at = lower.indexOf(w, at + 1);
    }
  }
  return false;
}

/** The score after context: base + boost when a context word is near, capped at 1. */
export function withContext(base: number, context: boolean): number {
  if (!context) return base;
  return Math.min(1, Math.max(MIN_SCORE_WITH_CONTEXT, base + CONTEXT_BOOST));
}
