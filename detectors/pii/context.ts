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
 * word boundary (so "tel" does not fire inside "hotel"). Only the window is
 * searched, so many matches in one long text stay linear.
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
  const window = view.lower.slice(from, to);
  const matchStart = start - from;
  const matchEnd = end - from;
  for (const w of words) {
    let at = window.indexOf(w);
    while (at !== -1) {
      const outside = at + w.length <= matchStart || at >= matchEnd;
      if (outside && (at === 0 || !isWordChar(window.charCodeAt(at - 1)))) return true;
      at = window.indexOf(w, at + 1);
    }
  }
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** The score after context: base + boost when a context word is near, capped at 1. */
export function withContext(base: number, context: boolean): number {
  if (!context) return base;
  return Math.min(1, Math.max(MIN_SCORE_WITH_CONTEXT, base + CONTEXT_BOOST));
}
