import { describe, expect, it } from 'vitest';
import type { PiiSpan } from './recognizer.js';
import { resolveOverlaps } from './resolve-overlaps.js';

const span = (entity: PiiSpan['entity'], start: number, end: number, score: number): PiiSpan => ({
  entity,
  start,
  end,
  score,
});

describe('resolveOverlaps', () => {
  it('keeps the higher score of two overlapping spans', () => {
    expect(resolveOverlaps([span('PHONE_NUMBER', 0, 12, 0.75), span('US_SSN', 1, 12, 0.85)])).toEqual([
      span('US_SSN', 1, 12, 0.85),
    ]);
  });

  it('prefers the longer span on equal scores, so a URL beats the email inside it', () => {
    expect(
      resolveOverlaps([span('EMAIL_ADDRESS', 14, 30, 0.9), span('URL_CREDENTIALS', 0, 40, 0.9)]),
    ).toEqual([span('URL_CREDENTIALS', 0, 40, 0.9)]);
  });

  it('keeps disjoint and touching spans, sorted by start', () => {
    const a = span('EMAIL_ADDRESS', 20, 30, 1);
    const b = span('PERSON', 0, 10, 0.7);
    const c = span('PHONE_NUMBER', 10, 20, 0.8);
    expect(resolveOverlaps([a, b, c])).toEqual([b, c, a]);
  });
});
