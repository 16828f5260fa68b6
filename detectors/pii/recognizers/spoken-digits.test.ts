import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { spokenDigitsRecognizer } from './spoken-digits.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!spokenDigitsRecognizer.applies(view)) return [];
  return spokenDigitsRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

function found(text: string) {
  return scan(text).map((s) => [s.entity, s.text]);
}

describe('spokenDigitsRecognizer', () => {
  it('reads a dictated card number in a call transcript, first digit word to last', () => {
    const text =
      "Agent: Can I have the card number? Caller: yeah it's four one one one one one one one one one one one one one one one, expiry oh four twenty six.";
    expect(scan(text)).toEqual([
      {
        entity: 'CREDIT_CARD',
        start: 53,
        end: 117,
        score: 1,
        text: 'four one one one one one one one one one one one one one one one',
      },
    ]);
  });

  it('reads a card in groups and leaves the expiry after it out', () => {
    const text =
      'the card is four one one one, one one one one, one one one one, one one one one, oh four, two six';
    expect(scan(text).map((s) => [s.entity, s.start, s.end])).toEqual([['CREDIT_CARD', 12, 79]]);
  });

  it('is case-insensitive and scores a card 0.9 without context', () => {
    expect(scan('FOUR ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE')).toEqual([
      {
        entity: 'CREDIT_CARD',
        start: 0,
        end: 64,
        score: 0.9,
        text: 'FOUR ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE ONE',
      },
    ]);
  });

  it('reads digits mixed with digit words', () => {
    expect(scan('card is 4 one 1 one, 1111, one one one one, 1111 ok').map((s) => [s.start, s.end])).toEqual([
      [8, 48],
    ]);
  });

  it('reads a phone number grouped by commas, trailing period left out', () => {
    expect(scan('sure, my number is five five five, one two three, four five six seven.')).toEqual([
      {
        entity: 'PHONE_NUMBER',
        start: 19,
        end: 69,
        score: 1,
        text: 'five five five, one two three, four five six seven',
      },
    ]);
  });

  it('reads "oh" as zero, "dash" as a separator, and scores a 10-digit phone 0.8 without context', () => {
    expect(found('call me at two oh two, five five five, oh one four three')).toEqual([
      ['PHONE_NUMBER', 'two oh two, five five five, oh one four three'],
    ]);
    expect(scan('five five five dash one two three dash four five six seven')).toEqual([
      {
        entity: 'PHONE_NUMBER',
        start: 0,
        end: 58,
        score: 0.8,
        text: 'five five five dash one two three dash four five six seven',
      },
    ]);
  });

  it('expands "double" and "triple", starting the span at the multiplier', () => {
    expect(found('my mobile is oh seven nine one one, one two three, double four six')).toEqual([
      ['PHONE_NUMBER', 'oh seven nine one one, one two three, double four six'],
    ]);
    expect(found('ring triple five, one two three four five six seven')).toEqual([
      ['PHONE_NUMBER', 'triple five, one two three four five six seven'],
    ]);
  });

  it('reads "plus" as an international prefix and "eight hundred" as 800', () => {
    expect(found('reach me on plus four four seven nine one one one two three four five six')).toEqual([
      ['PHONE_NUMBER', 'plus four four seven nine one one one two three four five six'],
    ]);
    expect(found('call one eight hundred five five five one two one two')).toEqual([
      ['PHONE_NUMBER', 'one eight hundred five five five one two one two'],
    ]);
  });

  it('leaves out a leading "oh," that is an interjection', () => {
    expect(
      scan('oh, five five five, one two three, four five six seven').map((s) => [s.start, s.end]),
    ).toEqual([[4, 54]]);
  });

  it('reports 9 digits as an SSN only with SSN context', () => {
    expect(scan('my social security number is five one two, four seven, one one one three')).toEqual([
      {
        entity: 'US_SSN',
        start: 29,
        end: 72,
        score: 0.85,
        text: 'five one two, four seven, one one one three',
      },
    ]);
    expect(found('ssn: five one two dash four seven dash one one one three')).toEqual([
      ['US_SSN', 'five one two dash four seven dash one one one three'],
    ]);
    expect(scan('ref five one two four seven one one one three')).toEqual([]);
  });

  it('needs phone context for a short number', () => {
    expect(found('you can call five five five one two one two anytime')).toEqual([
      ['PHONE_NUMBER', 'five five five one two one two'],
    ]);
    expect(scan('the answer is five five five one two one two')).toEqual([]);
  });

  it('ignores counting, small numbers and times', () => {
    const text = [
      'I need one or two of those.',
      'one of the agents will call.',
      'see you at one thirty.',
      'one, two, three, four, five, six, seven, eight, nine, ten',
      'nine eight seven six five four three two one, lift off',
      'it was one one one one one one one one one one',
      "one o'clock, two o'clock",
      'double check the one two three',
    ].join(' ');
    expect(scan(text)).toEqual([]);
  });

  it('rejects a spoken 16-digit run failing Luhn', () => {
    expect(scan('card four one one one one one one one one one one one one one one two')).toEqual([]);
  });

  it('leaves numbers written in digits to the other recognizers', () => {
    expect(scan('card 4111111111111111, phone 555 123 4567, one more thing')).toEqual([]);
    expect(scan('4111 1111 1111 1111 and then one')).toEqual([]);
    // A spoken word or two around typed digits is not dictation.
    expect(scan('call 555 123 4567 one two, thanks')).toEqual([]);
  });

  it('breaks runs at other words, newlines and long gaps', () => {
    expect(scan('five five five one two\nthree four five six seven')).toEqual([]);
    expect(scan('five five five one two       three four five six seven')).toEqual([]);
    expect(scan('five five five and one two three four five six seven')).toEqual([]);
  });

  it('does not scan texts whose digit words are inside other words or stand alone', () => {
    const applies = (text: string) => spokenDigitsRecognizer.applies(new TextView(text));
    expect(applies('someone phoned; honestly it was done often, and none of it went well by phone')).toBe(
      false,
    );
    expect(applies('one of them, maybe two of us, and then three or four more')).toBe(false);
    expect(applies('my number is double five five, one two three, four five six seven')).toBe(true);
  });

  it('still reads runs opened by a multiplier or spelled with "o" alone', () => {
    expect(found('my number is double five five, one two three, four five six seven')).toEqual([
      ['PHONE_NUMBER', 'double five five, one two three, four five six seven'],
    ]);
    expect(found('double five five five one two three four five six seven')).toEqual([
      ['PHONE_NUMBER', 'double five five five one two three four five six seven'],
    ]);
    expect(found('phone: o 2 o 1 2 1 o thanks')).toEqual([['PHONE_NUMBER', 'o 2 o 1 2 1 o']]);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('one '.repeat(1 << 18))).toEqual([]);
    expect(scan('one'.repeat(349_525))).toEqual([]);
    expect(scan('o '.repeat(1 << 19))).toEqual([]);
    expect(scan('double '.repeat(149_796))).toEqual([]);
    expect(scan('one-'.repeat(1 << 18))).toEqual([]);
    expect(scan('1 one '.repeat(174_762))).toEqual([]);
    expect(scan('one one one one one one one x '.repeat(36_157))).toEqual([]);
    expect(scan('five five five one two three four five six seven. ok. '.repeat(1 << 14))).toHaveLength(
      1 << 14,
    );
    expect(scan(`four ${'one '.repeat(15)}\n`.repeat(1 << 14))).toHaveLength(1 << 14);
    // Many short runs and digit words inside other words: each stretch is read once.
    expect(scan('five one two, someone phoned. '.repeat(1 << 15))).toEqual([]);
    expect(scan(`phone ${'5 '.repeat(1 << 18)}o o`)).toEqual([]);
  });
});
