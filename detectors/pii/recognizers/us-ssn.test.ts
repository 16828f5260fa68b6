import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { usSsnRecognizer } from './us-ssn.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!usSsnRecognizer.applies(view)) return [];
  return usSsnRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

describe('usSsnRecognizer', () => {
  it('finds a dashed SSN with context', () => {
    expect(scan('My social security number is 123-45-6789, is that enough?')).toEqual([
      { entity: 'US_SSN', start: 29, end: 40, score: 0.95, text: '123-45-6789' },
    ]);
  });

  it('scores a grouped SSN 0.6 without context and finds the spaced form', () => {
    expect(scan('it is 219 09 9998 I think')).toEqual([
      { entity: 'US_SSN', start: 6, end: 17, score: 0.6, text: '219 09 9998' },
    ]);
  });

  it('keeps nine bare digits under the threshold unless context says SSN', () => {
    expect(scan('reference 123456789 attached')).toEqual([
      { entity: 'US_SSN', start: 10, end: 19, score: 0.3, text: '123456789' },
    ]);
    const withCtx = scan('ssn 123456789');
    expect(withCtx.map((s) => [s.start, s.end, s.text])).toEqual([[4, 13, '123456789']]);
    expect(withCtx[0]?.score).toBeCloseTo(0.65);
  });

  it('rejects areas, groups and serials the SSA never issues', () => {
    expect(scan('SSN 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567, 123-45-0000, 078-05-1120')).toEqual(
      [],
    );
  });

  it('rejects mixed separators', () => {
    expect(scan('ssn 123-45 6789')).toEqual([]);
  });

  it('rejects parts of longer numbers and phone groupings', () => {
    const text = [
      'call 415-123-45-6789',
      '+1 123-45-6789',
      '(415) 123 45 6789',
      '123-45-6789-12',
      '1234-45-6789',
      '12345678901',
      '1.123456789',
      'ID123456789',
      '123-45-67890',
    ].join('; ');
    expect(scan(text)).toEqual([]);
  });

  it('needs nine digits to apply', () => {
    expect(usSsnRecognizer.applies(new TextView('ssn 123-45-678'))).toBe(false);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('1'.repeat(1 << 20))).toEqual([]);
    expect(scan('1-'.repeat(1 << 19))).toEqual([]);
    expect(scan('123-45-'.repeat(1 << 17))).toEqual([]);
    expect(scan('123 45 6789 '.repeat(1 << 16))).toEqual([]);
    expect(scan('ssn 123-45-6789; '.repeat(1 << 16))).toHaveLength(1 << 16);
  });
});
