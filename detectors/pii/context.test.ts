import { describe, expect, it } from 'vitest';
import { hasContext, withContext } from './context.js';
import { TextView } from './text-view.js';

describe('context', () => {
  const view = new TextView('My Card number: 4111 1111 1111 1111 thanks');
  it('finds context words before or shortly after a match, case-insensitively', () => {
    expect(hasContext(view, 16, 35, ['card'])).toBe(true);
    expect(hasContext(view, 16, 35, ['thanks'])).toBe(true);
    expect(hasContext(view, 16, 35, ['passport'])).toBe(false);
  });

  it('does not count a word inside the match itself', () => {
    const v = new TextView('xx ssn-like yy');
    expect(hasContext(v, 3, 11, ['ssn'])).toBe(false);
  });

  it('ignores words beyond the window', () => {
    const v = new TextView(`card${' '.repeat(100)}4111`);
    expect(hasContext(v, 104, 108, ['card'])).toBe(false);
  });

  it('raises the score by 0.35 with a floor of 0.4, capped at 1', () => {
    expect(withContext(0.3, false)).toBe(0.3);
    expect(withContext(0.3, true)).toBeCloseTo(0.65);
    expect(withContext(0.01, true)).toBe(0.4);
    expect(withContext(0.9, true)).toBe(1);
  });
});
