import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { phoneRecognizer } from './phone.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!phoneRecognizer.applies(view)) return [];
  return phoneRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

function texts(text: string): string[] {
  return scan(text).map((s) => s.text);
}

describe('phoneRecognizer', () => {
  it('finds an international number from the +, raised by context', () => {
    expect(scan('You can call me on +44 20 7946 0958 after six.')).toEqual([
      { entity: 'PHONE_NUMBER', start: 19, end: 35, score: 1, text: '+44 20 7946 0958' },
    ]);
  });

  it('scores a validated, phone-shaped number 0.75 without context, from the area code parenthesis', () => {
    expect(scan('Try (415) 555-0123 tomorrow.')).toEqual([
      { entity: 'PHONE_NUMBER', start: 4, end: 18, score: 0.75, text: '(415) 555-0123' },
    ]);
  });

  it('finds dotted, national, short international and 00-prefixed numbers', () => {
    const text = 'or 415.555.0123, or 020 7946 0958, or +49 30 901820, or 0044 20 7946 0958!';
    expect(scan(text).map((s) => [s.start, s.end, s.text])).toEqual([
      [3, 15, '415.555.0123'],
      [20, 33, '020 7946 0958'],
      [38, 51, '+49 30 901820'],
      [56, 73, '0044 20 7946 0958'],
    ]);
  });

  it('finds country code with parentheses, trunk (0), 1-800 and compact E.164 forms', () => {
    const text = '+1 (415) 555-0123 / 1-800-555-0199 / +44 (0)20 7946 0958 / +14155550123';
    expect(scan(text).map((s) => [s.start, s.end, s.text])).toEqual([
      [0, 17, '+1 (415) 555-0123'],
      [20, 34, '1-800-555-0199'],
      [37, 56, '+44 (0)20 7946 0958'],
      [59, 71, '+14155550123'],
    ]);
  });

  it('finds European and Indian groupings', () => {
    expect(texts('07911 123456 and 06 12 34 56 78 and +33 1 23 45 67 89 and 98765 43210')).toEqual([
      '07911 123456',
      '06 12 34 56 78',
      '+33 1 23 45 67 89',
      '98765 43210',
    ]);
  });

  it('leaves out extensions and enclosing parentheses', () => {
    expect(
      scan('office 415-555-0123 ext. 45 or 415-555-0123x45 (415-555-0123)').map((s) => [s.start, s.end]),
    ).toEqual([
      [7, 19],
      [31, 43],
      [48, 60],
    ]);
  });

  it('separates two numbers written side by side, and a number from a count after it', () => {
    // A digit group right before a number makes it the tail of a longer run: only the first stands alone.
    expect(texts('415-555-0123 415-555-0199')).toEqual(['415-555-0123']);
    expect(texts('415-555-0123 or 415-555-0199')).toEqual(['415-555-0123', '415-555-0199']);
    expect(texts('at 12:30 call +44 20 7946 0958 2 times')).toEqual(['+44 20 7946 0958']);
  });

  it('reports bare digits only with context', () => {
    expect(scan('my number is 4155550123')).toEqual([
      { entity: 'PHONE_NUMBER', start: 13, end: 23, score: 0.75, text: '4155550123' },
    ]);
    expect(scan('batch 4155550123 done')).toEqual([]);
  });

  it('rejects numbers that fail validation', () => {
    expect(scan('call 555-0123 or +44 20 7946 095 or (415) 555-01')).toEqual([]);
  });

  it('rejects order, tracking and reference numbers', () => {
    expect(
      scan('Order number 415-555-0123, tracking 7489 2345 6789, ref: 020 7946 0958, invoice #4155550123'),
    ).toEqual([]);
  });

  it('rejects dates, times, timestamps and decimals', () => {
    const text =
      'on 2024-03-14, 14.03.2024, 2024-03-14 12:30:45, 2024 03 14 1234, ts 1710412245, 0.250750683890174, 3.14159265, 12:30:45';
    expect(scan(text)).toEqual([]);
  });

  it('rejects version strings and IP addresses', () => {
    expect(scan('v2.10.1234, version 10.20.30.40, release 2.10.1234, 192.168.100.200')).toEqual([]);
  });

  it('leaves card numbers and SSNs to their recognizers', () => {
    expect(scan('4111 1111 1111 1111, 4111-1111-1111-1111, 5555555555554444 and 123-45-6789')).toEqual([]);
  });

  it('rejects parts of longer digit runs, money and percentages', () => {
    expect(
      scan('415-555-0123-4567 12345678901234567890 $1 234 567 12 345 678% 20240314 0415.555.0123.9'),
    ).toEqual([]);
    expect(scan('a415 555 0123, 415 555 0123b, 1.415.555.0123, #415 555 0123')).toEqual([]);
    // A digit group before it ("A1", a tracking number) continues the run: not a phone on its own.
    expect(texts('Room A1 415 555 0123')).toEqual([]);
  });

  it('needs seven digits to apply', () => {
    expect(phoneRecognizer.applies(new TextView('call 555-012'))).toBe(false);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('1'.repeat(1 << 20))).toEqual([]);
    expect(scan('1-'.repeat(1 << 19))).toEqual([]);
    expect(scan('1 '.repeat(1 << 19))).toEqual([]);
    expect(scan('1.'.repeat(1 << 19))).toEqual([]);
    expect(scan('(1'.repeat(1 << 19))).toEqual([]);
    expect(scan('+1 '.repeat(350_000))).toEqual([]);
    expect(scan('0.1'.repeat(350_000))).toEqual([]);
    expect(scan('2024-03-14 12:30:45 '.repeat(1 << 15))).toEqual([]);
    // Many valid numbers: a validation budget bounds the libphonenumber work, so only the first are reported.
    const many = scan('call 415 555 0123, '.repeat(1 << 15));
    expect(many.length).toBeGreaterThan(100);
    expect(many[0]?.text).toBe('415 555 0123');
    expect(scan('12 '.repeat(350_000)).length).toBeLessThan(300);
  });

  it('finds a number written with its country code whatever the words before it', () => {
    for (const text of [
      'my passport expired, call me on +44 20 7946 0958',
      'customer: +44 20 7946 0958',
      'IBAN: +44 20 7946 0958',
      'v +49 30 90182000',
      '0 +1 415 555 0100',
    ]) {
      expect(
        scan(text).map((m) => m.text),
        text,
      ).toHaveLength(1);
    }
    // Glued to a word or a number, the + is part of something else.
    expect(scan('ref+44 20 7946 0958')).toHaveLength(0);
  });
});
