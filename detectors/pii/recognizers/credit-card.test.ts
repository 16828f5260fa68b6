import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { creditCardRecognizer } from './credit-card.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!creditCardRecognizer.applies(view)) return [];
  return creditCardRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

describe('creditCardRecognizer', () => {
  it('finds a spaced Visa number, first digit to last, raised by context', () => {
    expect(scan('Sure, my card is 4111 1111 1111 1111, expiry next May.')).toEqual([
      { entity: 'CREDIT_CARD', start: 17, end: 36, score: 1, text: '4111 1111 1111 1111' },
    ]);
  });

  it('scores a valid known-scheme number 0.9 without context', () => {
    expect(scan('ok here goes 5555555555554444 thanks')).toEqual([
      { entity: 'CREDIT_CARD', start: 13, end: 29, score: 0.9, text: '5555555555554444' },
    ]);
  });

  it('finds dashed, Amex and Diners groupings', () => {
    const text = 'try 6011-1111-1111-1117 or 3782 822463 10005 or maybe 3056 930902 5904?';
    expect(scan(text).map((s) => [s.start, s.end, s.text, s.score])).toEqual([
      [4, 23, '6011-1111-1111-1117', 0.9],
      [27, 44, '3782 822463 10005', 0.9],
      [54, 70, '3056 930902 5904', 0.9],
    ]);
  });

  it('takes a 19-digit number whole, and a 16-digit one without the CVV after it', () => {
    expect(scan('number 4111 1111 1111 1111 003 please').map((s) => s.text)).toEqual([
      '4111 1111 1111 1111 003',
    ]);
    expect(scan('visa 4111 1111 1111 1111 123 is the cvv').map((s) => s.text)).toEqual([
      '4111 1111 1111 1111',
    ]);
  });

  it('finds two numbers side by side', () => {
    expect(scan('4111 1111 1111 1111 5555 5555 5555 4444').map((s) => s.text)).toEqual([
      '4111 1111 1111 1111',
      '5555 5555 5555 4444',
    ]);
  });

  it('keeps a Luhn-valid number of no known scheme under the threshold unless context says card', () => {
    expect(scan('ref 7000 0000 0000 0070')[0]?.score).toBe(0.3);
    expect(scan('my debit card: 7000 0000 0000 0070')[0]?.score).toBeCloseTo(0.65);
  });

  it('rejects Luhn failures', () => {
    expect(scan('card 4111 1111 1111 1112 and 1234 5678 9012')).toEqual([]);
  });

  it('rejects order and tracking numbers, long runs and numbers glued to words or decimals', () => {
    const text = [
      'Order 123456789012 shipped',
      'tracking 1Z999AA10123456784',
      'FedEx 7489 2345 6789',
      'id 41111111111111110',
      'x4111111111111111',
      '4111111111111111abc',
      '3.4111111111111111',
      '+4111111111111111',
      '4111-1111-1111-1111-1111-1111',
    ].join('. ');
    expect(scan(text)).toEqual([]);
  });

  it('does not cut a number out of single-digit groups', () => {
    expect(scan('4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1')).toEqual([]);
  });

  it('needs at least 12 digits to apply', () => {
    expect(creditCardRecognizer.applies(new TextView('call 415 555 0123'))).toBe(false);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('1'.repeat(1 << 20))).toEqual([]);
    expect(scan('1-'.repeat(1 << 19))).toEqual([]);
    expect(scan('1 '.repeat(1 << 19))).toEqual([]);
    expect(scan('1111 '.repeat(1 << 18))).toEqual([]);
    expect(scan('4111 1111 1111 1111 '.repeat(1 << 15))).toHaveLength(1 << 15);
    expect(scan('-'.repeat(1 << 20))).toEqual([]);
  });
});
