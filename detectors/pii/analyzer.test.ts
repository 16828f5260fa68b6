import { describe, expect, it } from 'vitest';
import { createPiiAnalyzer } from './default-recognizers.js';
import { PII_ENTITIES } from './entities.js';

const analyzer = createPiiAnalyzer();

/** Inputs built to make a naive pattern backtrack; each is about 1 MB. */
const MB = 1 << 20;
const ADVERSARIAL: Record<string, string> = {
  'one character': 'a'.repeat(MB),
  'one digit': '1'.repeat(MB),
  'digits and dashes': '1-'.repeat(MB / 2),
  'digits and spaces': '1 '.repeat(MB / 2),
  'digits and dots': '1.'.repeat(MB / 2),
  'at signs': 'a@'.repeat(MB / 2),
  'almost emails': 'a.a@a.'.repeat(MB / 6),
  colons: 'a:'.repeat(MB / 2),
  'scheme separators': '://'.repeat(MB / 3),
  'spoken digits': 'one '.repeat(MB / 4),
  'capitalized words': 'Hi Mr Smith '.repeat(MB / 12),
  'street-like': '12 Main '.repeat(MB / 8),
  hex: 'f'.repeat(MB),
  base58: '1A1zP1eP5QGefi2DMPTfTL5SLmv7Div'.repeat(MB / 31),
  'upper letters and digits': 'AB12'.repeat(MB / 4),
};

describe('PiiAnalyzer with every recognizer', () => {
  it('knows every entity', () => {
    const text =
      'Hi, my name is Jane Doe, mail jane.doe@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111.';
    expect(analyzer.analyze(text).map((s) => s.entity)).toEqual([
      'PERSON',
      'EMAIL_ADDRESS',
      'PHONE_NUMBER',
      'CREDIT_CARD',
    ]);
    expect(PII_ENTITIES.length).toBe(14);
  });

  it('returns spans sorted, non-overlapping, inside the text and above the threshold', () => {
    const text =
      'DOB 14/03/1985, SSN 123-45-6789, IBAN GB82 WEST 1234 5698 7654 32, ip 192.168.1.20, ' +
      'https://bob:s3cret@example.com/x and 10 Downing Street, London SW1A 2AA';
    const spans = analyzer.analyze(text);
    expect(spans.length).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i]!;
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(text.length);
      expect(s.score).toBeGreaterThanOrEqual(analyzer.threshold);
      if (i > 0) expect(s.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    }
  });

  it('restricts to the configured entities', () => {
    const only = createPiiAnalyzer({ entities: ['EMAIL_ADDRESS'] });
    expect(only.analyze('jane.doe@example.com 4111 1111 1111 1111').map((s) => s.entity)).toEqual([
      'EMAIL_ADDRESS',
    ]);
  });

  it('finds nothing in ordinary chat', () => {
    expect(analyzer.analyze('thanks, that fixed it. have a nice day!')).toEqual([]);
    expect(analyzer.analyze('')).toEqual([]);
  });

  it('survives invalid UTF-16 and odd characters', () => {
    const text = '\ud800 jane.doe@example.com \udfff 4111 1111 1111 1111 \u0000 \ufeff';
    expect(analyzer.analyze(text).map((s) => s.entity)).toEqual(['EMAIL_ADDRESS', 'CREDIT_CARD']);
  });

  // No timing assertion: a catastrophic backtrack on any input shows up as the test timeout.
  it.each(Object.entries(ADVERSARIAL))(
    'completes on 1 MB of %s',
    (_name, text) => {
      expect(Array.isArray(analyzer.analyze(text))).toBe(true);
    },
    20_000,
  );
});
