import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PII_ENTITIES } from '../../detectors/pii/entities.js';
import { ibanValid, luhnValid, ssnDigitsValid } from '../../detectors/pii/number-rules.js';
import { phoneValid } from '../../detectors/pii/phone-rules.js';
import { generateCorpus, toJsonl } from './generate-corpus.js';
import { corpusFile, readCorpus } from './read-corpus.js';

const file = readFileSync(corpusFile(), 'utf8');
const corpus = readCorpus();

const WORD_DIGITS: Record<string, string> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

/** Digits of a typed or dictated number ("double five" is "55"). */
function digitsOf(value: string): string {
  if (/\d/.test(value)) return value.replace(/\D/g, '');
  let out = '';
  let times = 1;
  for (const w of value.split(/[\s,]+/)) {
    if (w === 'double') times = 2;
    else if (w in WORD_DIGITS) {
      out += WORD_DIGITS[w]!.repeat(times);
      times = 1;
    }
  }
  return out;
}

function slicesOf(entity: string): string[] {
  return corpus.flatMap((c) =>
    c.spans.filter((s) => s.entity === entity).map((s) => c.text.slice(s.start, s.end)),
  );
}

describe('PII corpus', () => {
  it('regenerates to the same file', () => {
    expect(toJsonl(generateCorpus())).toBe(file);
  });

  it('holds at least 500 distinct texts with unique ids in four channels', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    expect(new Set(corpus.map((c) => c.text)).size).toBe(corpus.length);
    expect(new Set(corpus.map((c) => c.channel))).toEqual(new Set(['chat', 'email', 'social', 'transcript']));
  });

  it('has at least 25 texts holding each entity', () => {
    for (const entity of PII_ENTITIES) {
      const texts = corpus.filter((c) => c.spans.some((s) => s.entity === entity)).length;
      expect(texts, entity).toBeGreaterThanOrEqual(25);
    }
  });

  it('is at least 40% hard negatives, with or without PII beside them', () => {
    const hard = corpus.filter((c) => c.id.startsWith('neg-') || c.id.startsWith('mix-'));
    expect(hard.length / corpus.length).toBeGreaterThanOrEqual(0.4);
    for (const c of corpus.filter((c) => c.id.startsWith('neg-'))) expect(c.spans, c.id).toEqual([]);
  });

  it('has spans in bounds, non-empty, trimmed, sorted and disjoint', () => {
    for (const c of corpus) {
      let last = 0;
      for (const s of c.spans) {
        expect(PII_ENTITIES).toContain(s.entity);
        expect(s.start, c.id).toBeGreaterThanOrEqual(last);
        expect(s.end, c.id).toBeGreaterThan(s.start);
        expect(s.end, c.id).toBeLessThanOrEqual(c.text.length);
        const slice = c.text.slice(s.start, s.end);
        expect(slice.trim(), c.id).toBe(slice);
        last = s.end;
      }
    }
  });

  it('keeps transcripts lowercase with numbers as words', () => {
    for (const c of corpus.filter((c) => c.channel === 'transcript')) {
      expect(c.text, c.id).toBe(c.text.toLowerCase());
      expect(c.text, c.id).not.toMatch(/\d/);
    }
  });

  it('labels only numbers that pass their checksums', () => {
    for (const card of slicesOf('CREDIT_CARD')) expect(luhnValid(digitsOf(card)), card).toBe(true);
    for (const iban of slicesOf('IBAN_CODE')) expect(ibanValid(iban.replaceAll(' ', '')), iban).toBe(true);
    for (const ssn of slicesOf('US_SSN')) expect(ssnDigitsValid(digitsOf(ssn)), ssn).toBe(true);
    for (const phone of slicesOf('PHONE_NUMBER')) {
      const typed = /\d/.test(phone) ? phone : digitsOf(phone);
      expect(phoneValid(typed), phone).toBe(true);
    }
  });

  it('covers the formats each entity is written in', () => {
    const cards = slicesOf('CREDIT_CARD');
    expect(cards.some((c) => /^\d{4} \d{4}/.test(c))).toBe(true);
    expect(cards.some((c) => /^\d{4}-\d{4}/.test(c))).toBe(true);
    expect(cards.some((c) => /^\d{15,16}$/.test(c))).toBe(true);
    expect(cards.some((c) => /^[a-z ,]+$/.test(c))).toBe(true);
    expect(cards.some((c) => /^3[47]/.test(c))).toBe(true);
    const phones = slicesOf('PHONE_NUMBER');
    for (const cc of ['+1', '+44', '+49', '+33', '+91'])
      expect(
        phones.some((p) => p.startsWith(cc)),
        cc,
      ).toBe(true);
    expect(phones.some((p) => p.startsWith('('))).toBe(true);
    const ibans = slicesOf('IBAN_CODE');
    expect(ibans.some((i) => i.includes(' '))).toBe(true);
    expect(ibans.some((i) => !i.includes(' '))).toBe(true);
    expect(new Set(ibans.map((i) => i.slice(0, 2))).size).toBeGreaterThanOrEqual(8);
    const ssns = slicesOf('US_SSN');
    expect(ssns.some((s) => /^\d{3}-\d{2}-\d{4}$/.test(s))).toBe(true);
    expect(ssns.some((s) => /^\d{9}$/.test(s))).toBe(true);
    const ips = slicesOf('IP_ADDRESS');
    expect(ips.some((i) => i.includes('::'))).toBe(true);
    expect(ips.some((i) => /^\d+\.\d+\.\d+\.\d+$/.test(i))).toBe(true);
    const people = slicesOf('PERSON');
    expect(people.some((p) => p.includes("'"))).toBe(true);
    expect(people.some((p) => p.includes('-'))).toBe(true);
    expect(people.some((p) => / van | de | da /.test(p))).toBe(true);
    expect(slicesOf('ADDRESS').some((a) => /(Apt|Suite|Flat|Unit)/.test(a))).toBe(true);
    const crypto = slicesOf('CRYPTO');
    for (const prefix of ['1', '3', 'bc1', '0x'])
      expect(
        crypto.some((c) => c.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });
});
