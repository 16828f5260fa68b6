import { describe, expect, it } from 'vitest';
import { readText, storeText } from './stored-text.js';

describe('stored text', () => {
  it('keeps a storable string as it is, and any other exactly, without what jsonb refuses', () => {
    for (const s of [
      'refund_status',
      'émoji 😀',
      '',
      'nul\u0000',
      'lone \ud800 high',
      'lone \udc00 low',
      `${'x'.repeat(9000)}\u0000`,
    ]) {
      const stored = JSON.parse(JSON.stringify(storeText(s)));
      expect(readText(stored)).toBe(s);
      expect(JSON.stringify(stored)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
    }
    expect(storeText('refund_status')).toBe('refund_status');
    expect(storeText('a\u0000')).toEqual([97, 0]);
    expect(() => readText({} as never)).toThrow(TypeError);
  });
});
