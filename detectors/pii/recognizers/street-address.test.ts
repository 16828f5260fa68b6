import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { streetAddressRecognizer } from './street-address.js';

const found = (text: string) =>
  streetAddressRecognizer
    .scan(new TextView(text))
    .filter((s) => s.score >= 0.5)
    .map((s) => [s.entity, text.slice(s.start, s.end)]);

describe('address recognizer', () => {
  it('finds street addresses with units, and postcodes in their context', () => {
    expect(found('Please ship it to 1702 High Avenue, Denver, CO 80221-3563 instead')).toEqual([
      ['ADDRESS', '1702 High Avenue'],
      ['POSTCODE', '80221-3563'],
    ]);
    expect(found('I live at 42B N Maple Grove Rd Apt 4B now')).toEqual([
      ['ADDRESS', '42B N Maple Grove Rd Apt 4B'],
    ]);
    expect(found('my postcode is WC2H 3GR')).toEqual([['POSTCODE', 'WC2H 3GR']]);
    expect(found('zip code 90210 please')).toEqual([['POSTCODE', '90210']]);
  });

  it('reads spoken addresses in transcripts, only with address context', () => {
    expect(found("agent: first line of the address\ncustomer: it's fifty six station street")).toEqual([
      ['ADDRESS', 'fifty six station street'],
    ]);
    expect(found('we had five park avenue style hats')).toEqual([]);
  });

  it('leaves bare numbers, order numbers and city names alone', () => {
    expect(found('Order 55012 shipped to Paris, 3 items')).toEqual([]);
    expect(found('we have 12 Main offices')).toEqual([]);
  });

  it('stays linear on a megabyte of street-like text', () => {
    expect(Array.isArray(found('12 Main '.repeat(130_000)))).toBe(true);
  });
});
