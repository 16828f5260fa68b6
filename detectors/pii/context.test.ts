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

  it('needs the word to start a word, even where the window cuts into a longer one', () => {
    const tel = ['tel'];
    expect(hasContext(new TextView('hotel 555 0123'), 6, 14, tel)).toBe(false);
    // The window starts 48 characters back, inside "hotel": its "tel" is still not a word.
    const text = `hotel${' '.repeat(45)}555 0123`;
    expect(hasContext(new TextView(text), 50, 58, tel)).toBe(false);
    expect(hasContext(new TextView(`tel: ${'x'.repeat(20)} 555 0123`), 26, 34, tel)).toBe(true);
  });

  it('finds phrases and words sharing a start, and no word after a Kelvin sign that lowercases to k', () => {
    const words = ['reach', 'reach me', 'text me'];
    expect(hasContext(new TextView('Reach me at 555 0123'), 12, 20, words)).toBe(true);
    expect(hasContext(new TextView('you can TEXT ME: 555 0123'), 17, 25, ['text me'])).toBe(true);
    expect(hasContext(new TextView('texting: 555 0123'), 9, 17, ['text me'])).toBe(false);
    expect(hasContext(new TextView('\u212Acell 555 0123'), 6, 14, ['cell'])).toBe(false);
    expect(() => hasContext(new TextView('x 1'), 2, 3, ['#tag'])).toThrow(/lowercase ASCII letter/);
  });

  it('answers many questions about one long text from one pass per word list', () => {
    const unit = 'call 555 0123, order 4155550123. ';
    const v = new TextView(unit.repeat(20_000));
    const words = ['call', 'phone'];
    let found = 0;
    for (let k = 0; k < 20_000; k++) {
      const at = k * unit.length;
      if (hasContext(v, at + 5, at + 13, words)) found++;
      // Ten characters back from the order number do not reach the "call" before it.
      if (hasContext(v, at + 21, at + 31, words, 10, 0)) found++;
    }
    expect(found).toBe(20_000);
  });

  it('raises the score by 0.35 with a floor of 0.4, capped at 1', () => {
    expect(withContext(0.3, false)).toBe(0.3);
    expect(withContext(0.3, true)).toBeCloseTo(0.65);
    expect(withContext(0.01, true)).toBe(0.4);
    expect(withContext(0.9, true)).toBe(1);
  });
});
