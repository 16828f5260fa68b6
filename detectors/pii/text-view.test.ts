import { describe, expect, it } from 'vitest';
import { TextView } from './text-view.js';

/** The [start, end) pairs of a flat list, as the substrings they cover. */
function pieces(text: string, flat: readonly number[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < flat.length; k += 2) out.push(text.slice(flat[k], flat[k + 1]));
  return out;
}

describe('TextView', () => {
  it('counts digits, colons and notes @ and capitals in one pass', () => {
    const v = new TextView('Call 555-0123 at 10:30, or mail a@b.example: ok');
    expect(v.digits).toBe(11);
    expect(v.colons).toBe(2);
    expect(v.hasColon).toBe(true);
    expect(v.hasAt).toBe(true);
    expect(v.hasUpper).toBe(true);
    const plain = new TextView('nothing here');
    expect([plain.digits, plain.colons, plain.hasAt, plain.hasUpper]).toEqual([0, 0, false, false]);
  });

  it('lists maximal digit runs, including one at the very end', () => {
    const text = '+44 20 7946-0958, card 4111111111111111 v2.10 end 7';
    expect(pieces(text, new TextView(text).digitRuns)).toEqual([
      '44',
      '20',
      '7946',
      '0958',
      '4111111111111111',
      '2',
      '10',
      '7',
    ]);
  });

  it('lists words of letters and digits that hold a digit, and no others', () => {
    const text = 'IBAN DE89 3704 0044, wallet 0x52908400098527886E0F7030069857D2E4169EE7 and v2 x';
    expect(pieces(text, new TextView(text).digitWords)).toEqual([
      'DE89',
      '3704',
      '0044',
      '0x52908400098527886E0F7030069857D2E4169EE7',
      'v2',
    ]);
    expect(new TextView('no digits at all').digitWords).toEqual([]);
  });

  it('lists where each run of ASCII letters and digits starts', () => {
    const text = 'Hi, 2nd floor: room_12 é-mail';
    expect(new TextView(text).wordStarts.map((at) => text[at])).toEqual(['H', '2', 'f', 'r', '1', 'm']);
  });

  it('finds the first whole word that is a spelled digit or multiplier', () => {
    expect(new TextView('Someone phoned: it is Double oh seven').firstSpelledDigit).toBe(22);
    expect(new TextView('the o in words, one').firstSpelledDigit).toBe(4);
    expect(new TextView('gone, phone, nine9, 4five, twos').firstSpelledDigit).toBe(-1);
    expect(new TextView('ends in eight').firstSpelledDigit).toBe(8);
  });

  it('keeps lowercase offsets equal to the text offsets when a character lowercases to two', () => {
    const text = 'İstanbul, Phone 555 0123';
    const v = new TextView(text);
    expect(v.lower.length).toBe(text.length);
    expect(v.lower.indexOf('phone')).toBe(text.indexOf('Phone'));
  });

  it('handles empty text and lone surrogates', () => {
    expect(new TextView('').digits).toBe(0);
    const broken = 'a\ud800b 12';
    expect(pieces(broken, new TextView(broken).digitRuns)).toEqual(['12']);
  });
});
