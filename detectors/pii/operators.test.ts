import { describe, expect, it } from 'vitest';
import { saltedHash } from '../../monitor/findings/safe-token.js';
import { anonymize, maskValue, operate } from './operators.js';
import type { PiiSpan } from './recognizer.js';

describe('operators', () => {
  it('replace names the entity', () => {
    expect(operate('jane@example.com', 'EMAIL_ADDRESS', 'replace')).toBe('<EMAIL_ADDRESS>');
    expect(operate('x', null, 'replace')).toBe('<PII>');
  });

  it('mask keeps the last four digits of cards and phones, separators stay', () => {
    expect(maskValue('4111 1111 1111 1234', 'CREDIT_CARD')).toBe('**** **** **** 1234');
    expect(maskValue('+44 20 7946 0958', 'PHONE_NUMBER')).toBe('+** ** **** 0958');
    expect(maskValue('(415) 555-0123', 'PHONE_NUMBER')).toBe('(***) ***-0123');
  });

  it('mask hides every letter and digit of other entities', () => {
    expect(maskValue('jane@example.com', 'EMAIL_ADDRESS')).toBe('****@*******.***');
    expect(maskValue('123-45-6789', 'US_SSN')).toBe('***-**-****');
    expect(maskValue('Zoë Łukasz', 'PERSON')).toBe('*** ******');
  });

  it('hash is the salted hash, the same for the same value', () => {
    expect(operate('jane@example.com', 'EMAIL_ADDRESS', 'hash')).toBe(saltedHash('jane@example.com'));
    expect(operate('jane@example.com', 'EMAIL_ADDRESS', 'hash')).toBe(
      operate('jane@example.com', 'EMAIL_ADDRESS', 'hash'),
    );
    expect(operate('jane@example.com', 'EMAIL_ADDRESS', 'hash')).not.toContain('jane');
  });

  it('redact and drop remove the value, none leaves it', () => {
    expect(operate('x@y.io', 'EMAIL_ADDRESS', 'redact')).toBeNull();
    expect(operate('x@y.io', 'EMAIL_ADDRESS', 'drop')).toBeNull();
    expect(operate('x@y.io', 'EMAIL_ADDRESS', 'none')).toBe('x@y.io');
  });

  it('anonymize rewrites each span with its entity operator and keeps the rest', () => {
    const text = 'mail jane@example.com or call (415) 555-0123 today';
    const spans: PiiSpan[] = [
      { entity: 'EMAIL_ADDRESS', start: 5, end: 21, score: 1 },
      { entity: 'PHONE_NUMBER', start: 30, end: 44, score: 0.8 },
    ];
    expect(anonymize(text, spans, (e) => (e === 'PHONE_NUMBER' ? 'mask' : 'replace'))).toBe(
      'mail <EMAIL_ADDRESS> or call (***) ***-0123 today',
    );
    expect(anonymize(text, spans, () => 'redact')).toBe('mail  or call  today');
    expect(anonymize(text, [], () => 'replace')).toBe(text);
  });
});
