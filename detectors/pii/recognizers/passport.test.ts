import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { passportRecognizer } from './passport.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!passportRecognizer.applies(view)) return [];
  return passportRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

describe('passportRecognizer', () => {
  it('finds nine digits after "passport number"', () => {
    expect(scan('Sure, my passport number is 123456789 and it expires soon.')).toEqual([
      { entity: 'PASSPORT', start: 28, end: 37, score: 0.75, text: '123456789' },
    ]);
  });

  it('finds letter-and-digit forms, before or after the word', () => {
    expect(scan('Passport no: C03005988.').map((s) => [s.start, s.end, s.text])).toEqual([
      [13, 22, 'C03005988'],
    ]);
    expect(scan('It is AB1234567, from my passport').map((s) => [s.start, s.end, s.text])).toEqual([
      [6, 15, 'AB1234567'],
    ]);
  });

  it('reports nothing without passport context', () => {
    expect(scan('my order number is 123456789 and ref C03005988')).toEqual([]);
    expect(passportRecognizer.applies(new TextView('my order number is 123456789'))).toBe(false);
  });

  it('reports nothing when the context is too far away', () => {
    const far = `I lost my passport. ${'Then we talked about the weather for a while. '.repeat(3)}Order 123456789.`;
    expect(scan(far)).toEqual([]);
  });

  it('rejects other lengths and numbers glued to words', () => {
    expect(scan('passport 12345678, 1234567890, ABC123456, A12345, X123456789Y, 123456789a')).toEqual([]);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan(`passport ${'1'.repeat(1 << 20)}`)).toEqual([]);
    expect(scan(`passport ${'A1'.repeat(1 << 19)}`)).toEqual([]);
    expect(scan(`passport ${'AB12345 '.repeat(1 << 17)}`)).toEqual([]);
    expect(scan(`passport ${'P'.repeat(1 << 20)}123456`)).toEqual([]);
    expect(scan('passport 123456789; '.repeat(1 << 15))).toHaveLength(1 << 15);
  });

  it('reads French and German passport numbers next to the word', () => {
    const text = 'Passport No. 27VS75285, and my German passport is C4H7RF4Y5';
    const found = passportRecognizer.scan(new TextView(text)).map((s) => text.slice(s.start, s.end));
    expect(found).toEqual(['27VS75285', 'C4H7RF4Y5']);
  });
});
