import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { ukNinoRecognizer } from './uk-nino.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!ukNinoRecognizer.applies(view)) return [];
  return ukNinoRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

describe('ukNinoRecognizer', () => {
  it('finds a spaced NINO raised by context', () => {
    expect(scan('My National Insurance number is AB 12 34 56 C, thanks.')).toEqual([
      { entity: 'UK_NINO', start: 32, end: 45, score: 0.95, text: 'AB 12 34 56 C' },
    ]);
  });

  it('scores a capitalised NINO 0.6 without context, compact or half-spaced', () => {
    expect(scan('ok: CE123456D and JT 654321 A.')).toEqual([
      { entity: 'UK_NINO', start: 4, end: 13, score: 0.6, text: 'CE123456D' },
      { entity: 'UK_NINO', start: 18, end: 29, score: 0.6, text: 'JT 654321 A' },
    ]);
  });

  it('keeps a lowercase one under the threshold unless context says NINO', () => {
    expect(scan('it is ab123456c')[0]?.score).toBe(0.3);
    expect(scan('my nino is ab123456c')[0]?.score).toBeCloseTo(0.65);
  });

  it('rejects prefixes HMRC never issues', () => {
    const text = 'DA123456A FA123456A IA123456A QQ123456C UA123456A VA123456A AD123456A AO123456A';
    const more = 'BG123456A GB123456A KN123456A NK123456A NT123456A TN123456A ZZ123456A';
    expect(scan(`${text} ${more}`)).toEqual([]);
  });

  it('rejects suffixes other than A-D and numbers glued to words', () => {
    expect(scan('AB123456E, AB123456, XAB123456C, AB123456CD, AB1234567C, order AB 12 34 56 Z')).toEqual([]);
  });

  it('needs six digits to apply', () => {
    expect(ukNinoRecognizer.applies(new TextView('AB 12 34 C'))).toBe(false);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('A'.repeat(1 << 20))).toEqual([]);
    expect(scan('AB 12 34 56 '.repeat(1 << 17))).toEqual([]);
    expect(scan('1 '.repeat(1 << 19))).toEqual([]);
    expect(scan('AB123456C '.repeat(1 << 16))).toHaveLength(1 << 16);
  });
});
