import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { personContextRecognizer } from './person-context.js';

const names = (text: string) =>
  personContextRecognizer
    .scan(new TextView(text))
    .filter((s) => s.score >= 0.5)
    .map((s) => text.slice(s.start, s.end));

describe('person recognizer', () => {
  it('finds names after introductions, greetings, sign-offs and titles, surnames kept', () => {
    expect(names('Hello, my name is Kwame Dubois and I cannot log in')).toEqual(['Kwame Dubois']);
    expect(names('Regards,\nLaura da Silva')).toEqual(['Laura da Silva']);
    expect(names('Hi Sarah, your refund is on its way')).toEqual(['Sarah']);
    expect(names("I spoke with Daniel O'Brien yesterday")).toEqual(["Daniel O'Brien"]);
    expect(names('Please ask Dr. Anna Smith-Jones to call')).toEqual(['Anna Smith-Jones']);
    expect(names('this is Mark McDonald from billing')).toEqual(['Mark McDonald']);
    expect(names('From: Lucas de la Cruz <lucas@example.com>')).toEqual(['Lucas de la Cruz']);
    expect(names('card 4111 (account holder Ingrid di Stefano)')).toEqual(['Ingrid di Stefano']);
    expect(names("I've copied my colleague Isabella Garcia-Lopez, who")).toEqual(['Isabella Garcia-Lopez']);
  });

  it('reads lowercase transcripts after the strongest triggers', () => {
    expect(names('yeah my name is john smith and i need help')).toEqual(['john smith']);
    expect(names('hi this is maria speaking')).toEqual(['maria']);
  });

  it('leaves greetings to no one, common words and untriggered capitals alone', () => {
    expect(names('Hi there, thanks again for your help')).toEqual([]);
    expect(names('Hello Support team, Dear Customer')).toEqual([]);
    expect(names('I am Happy with it. This is Urgent')).toEqual([]);
    expect(names('Will you Mark it resolved? Bill me later in Paris')).toEqual([]);
    expect(names('my name is on the account')).toEqual([]);
  });

  it('reads the trigger the full pattern reports, where two overlap or case and punctuation vary', () => {
    expect(names('Best Regards Bob')).toEqual(['Bob']);
    expect(names('Best Jane')).toEqual(['Jane']);
    expect(names('many Thanks Tom')).toEqual(['Tom']);
    // "thanks" wins over "thanks to", so no name follows it.
    expect(names('Thanks To Maria')).toEqual([]);
    expect(names('thanks to Maria for the help')).toEqual([]);
    expect(names('Name::Ana')).toEqual(['Ana']);
    expect(names('\u212Aind regards, Bob')).toEqual(['Bob']);
    expect(names('Hi XHi Bob')).toEqual(['XHi Bob']);
  });

  it('takes a signature dash only at the start of a line', () => {
    expect(names('ok\n--\nBob')).toEqual(['Bob']);
    expect(names('---\nBob')).toEqual([]);
    expect(names('x --\nBob')).toEqual([]);
  });

  it('stays linear on a megabyte of triggers and capitals', () => {
    expect(Array.isArray(names('Hi Mr Smith '.repeat(80_000)))).toBe(true);
    expect(Array.isArray(names('my name is '.repeat(90_000)))).toBe(true);
    expect(names(`Hi${' '.repeat(1_000_000)}Bob`)).toEqual(['Bob']);
    expect(names('Best Regards Bob '.repeat(60_000))).toHaveLength(60_000);
  });
});
