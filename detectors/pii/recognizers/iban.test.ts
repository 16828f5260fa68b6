import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { ibanRecognizer } from './iban.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!ibanRecognizer.applies(view)) return [];
  return ibanRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

describe('ibanRecognizer', () => {
  it('finds a grouped IBAN with its internal spaces, not the words after it', () => {
    expect(scan('Please send it to GB82 WEST 1234 5698 7654 32 and let me know.')).toEqual([
      { entity: 'IBAN_CODE', start: 18, end: 45, score: 1, text: 'GB82 WEST 1234 5698 7654 32' },
    ]);
  });

  it('finds compact, lowercase and several countries', () => {
    const text =
      'DE89370400440532013000, fr14 2004 1010 0505 0001 3m02 606, NL91 ABNA 0417 1643 00 or NO93 8601 1117 947.';
    expect(scan(text).map((s) => [s.start, s.end, s.text])).toEqual([
      [0, 22, 'DE89370400440532013000'],
      [24, 57, 'fr14 2004 1010 0505 0001 3m02 606'],
      [59, 81, 'NL91 ABNA 0417 1643 00'],
      [85, 103, 'NO93 8601 1117 947'],
    ]);
  });

  it('accepts uneven grouping and longer BBANs with letters', () => {
    expect(scan('iban: CH93 00762 01162 38529 57').map((s) => s.text)).toEqual(['CH93 00762 01162 38529 57']);
    expect(scan('MT84MALT011000012345MTLCAST001S!').map((s) => s.text)).toEqual([
      'MT84MALT011000012345MTLCAST001S',
    ]);
  });

  it('rejects mod-97 failures', () => {
    expect(scan('GB82 WEST 1234 5698 7654 33 and DE89370400440532013001')).toEqual([]);
  });

  it('rejects IBANs glued to a longer token or cut short', () => {
    expect(
      scan('GB82 WEST 1234 5698 7654 3299 and XGB82WEST12345698765432 and GB82 WEST 1234 5698 7654'),
    ).toEqual([]);
  });

  it('rejects unknown countries and lookalike codes', () => {
    expect(
      scan('order AA12 3456 7890 1234 56, flight BA12 3456 7890 1234, tracking 1Z999AA10123456784'),
    ).toEqual([]);
  });

  it('needs ten digits to apply', () => {
    expect(ibanRecognizer.applies(new TextView('GB82 WEST 1234'))).toBe(false);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('1'.repeat(1 << 20))).toEqual([]);
    expect(scan('GB11 '.repeat(1 << 18))).toEqual([]);
    expect(scan('gb82'.repeat(1 << 18))).toEqual([]);
    expect(scan(`GB82 ${'1 '.repeat(1 << 19)}`)).toEqual([]);
    expect(scan('GB82 WEST 1234 5698 7654 32 '.repeat(1 << 15))).toHaveLength(1 << 15);
  });
});
