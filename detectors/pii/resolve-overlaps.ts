import type { PiiSpan } from './recognizer.js';

/**
 * Keeps the best of overlapping spans, as Presidio's analyzer does: higher
 * score first, then the longer span, then the earlier one. The survivors are
 * returned sorted by start. O(n log n) for n candidates, which are few.
 */
export function resolveOverlaps(spans: PiiSpan[]): PiiSpan[] {
  if (spans.length < 2) return spans;
  const ranked = [...spans].sort(
    (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: PiiSpan[] = [];
  for (const s of ranked) {
    if (kept.every((k) => s.end <= k.start || s.start >= k.end)) kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start);
}
