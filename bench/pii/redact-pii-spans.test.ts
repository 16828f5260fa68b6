import { describe, expect, it } from 'vitest';
import { diffRegions, redactPiiSpans } from './redact-pii-spans.js';

function found(text: string): string[] {
  const { spans, consistent } = redactPiiSpans(text);
  expect(consistent).toBe(true);
  return spans.map((s) => `${s.entity ?? s.redactor}:${text.slice(s.start, s.end)}`);
}

describe('redactPiiSpans', () => {
  it('maps regex redactions back to the original text', () => {
    expect(found('call me at (415) 555-0132 or mail jo@example.com')).toEqual([
      'PHONE_NUMBER:(415) 555-0132',
      'EMAIL_ADDRESS:jo@example.com',
    ]);
  });

  it('finds names by diffing the name redactor, after earlier tokens shifted offsets', () => {
    const text = 'Hi Sarah, card 4111 1111 1111 1111 please. Thanks, James';
    expect(found(text)).toEqual(['PERSON:Sarah', 'CREDIT_CARD:4111 1111 1111 1111', 'PERSON:James']);
  });

  it('keeps redactors without an earshot entity, mapped to null', () => {
    const { spans } = redactPiiSpans('order 123456 is late');
    expect(spans).toEqual([{ redactor: 'digits', entity: null, start: 6, end: 12 }]);
  });

  it('reports every URL as URL_CREDENTIALS, the only entity it could mean', () => {
    expect(found('see https://example.com/help for more')).toEqual([
      'URL_CREDENTIALS:https://example.com/help',
    ]);
  });

  it('returns nothing for a text without PII', () => {
    expect(found('no personal data here')).toEqual([]);
  });
});

describe('diffRegions', () => {
  it('finds the replaced regions between kept pieces', () => {
    expect(diffRegions('Hi Sarah, bye Tom', 'Hi T, bye T', 'T')).toEqual([
      { start: 3, end: 8 },
      { start: 14, end: 17 },
    ]);
  });

  it('returns null when the output does not come from the input', () => {
    expect(diffRegions('abc', 'xT', 'T')).toBeNull();
  });
});
