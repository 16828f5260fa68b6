import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { birthDateRecognizer } from './birth-date.js';

const dates = (text: string) =>
  birthDateRecognizer.scan(new TextView(text)).map((s) => text.slice(s.start, s.end));

describe('date of birth recognizer', () => {
  it('finds numeric and written dates next to birth context', () => {
    expect(dates('Date of birth: December 8, 1964')).toEqual(['December 8, 1964']);
    expect(dates('I was born on 14 March 1985.')).toEqual(['14 March 1985']);
    expect(dates('DOB 03/14/1985 and 1985-03-14')).toEqual(['03/14/1985', '1985-03-14']);
    expect(dates('my birthday is the 4th of July 1990')).toEqual(['4th of July 1990']);
  });

  it('reads spoken dates of birth in transcripts', () => {
    expect(dates('agent: your date of birth for me\ncustomer: june third nineteen ninety three')).toEqual([
      'june third nineteen ninety three',
    ]);
    expect(dates('date of birth? july twenty second two thousand and three')).toEqual([
      'july twenty second two thousand and three',
    ]);
  });

  it('ignores dates without birth context and impossible dates', () => {
    expect(dates('my order from March 14, 2024 never came')).toEqual([]);
    expect(dates('born 31/02/1985 or 1899-01-01')).toEqual([]);
    expect(dates('updated 2024-05-01T10:00:00Z')).toEqual([]);
  });

  it('stays linear on a megabyte of digits and dots', () => {
    expect(dates(`born ${'1.'.repeat(500_000)}`)).toEqual([]);
  });
});
