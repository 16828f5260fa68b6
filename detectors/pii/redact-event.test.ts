import { describe, expect, it } from 'vitest';
import { saltedHash } from '../../monitor/findings/safe-token.js';
import { createPiiAnalyzer } from './default-recognizers.js';
import { createEventRedactor } from './redact-event.js';
import { PROFILE, profile } from './test-profile-contract.js';

const redactor = createEventRedactor({
  analyzer: createPiiAnalyzer(),
  operators: { default: 'replace', PHONE_NUMBER: 'mask' },
});

describe('event redactor', () => {
  it('applies the contract operator to whole declared values and leaves the caller event alone', () => {
    const event = profile();
    const { event: copy } = redactor.event(event, PROFILE);
    expect(copy.email).toBe(saltedHash('jane.doe@example.com'));
    expect(copy.phone).toBe('+** ** **** 0958');
    expect(copy.user_id).toBe(saltedHash('u_1842'));
    expect(copy.notes).toBe('customer asked about delivery times');
    expect(event.email).toBe('jane.doe@example.com');
  });

  it('hashes are stable across events, so redacted data still joins', () => {
    const a = redactor.event(profile(), PROFILE).event;
    const b = redactor.event(profile({ event_id: 'f1e2d3c4-0000-4000-8000-000000000001' }), PROFILE).event;
    expect(a.email).toBe(b.email);
  });

  it('rewrites entities in free text with the operator the contract sets per entity', () => {
    const notes = 'card 4111 1111 1111 1111, mail jane.doe@example.com';
    const { event: copy, entities } = redactor.event(profile({ notes }), PROFILE);
    expect(copy.notes).toBe('card **** **** **** 1111, mail <EMAIL_ADDRESS>');
    expect(entities.filter((e) => e.pointer === '/notes').map((e) => [e.entity, e.start, e.end])).toEqual([
      ['CREDIT_CARD', 5, 24],
      ['EMAIL_ADDRESS', 31, 51],
    ]);
  });

  it('uses the configured operator per entity where the contract says nothing, in nested arrays too', () => {
    const { event: copy } = redactor.event(
      profile({ transcript: [{ text: 'ring +1 415 555 0123' }], misc: ['ring +1 415 555 0123'] }),
      PROFILE,
    );
    expect((copy.transcript as Array<{ text: string }>)[0]!.text).toBe('ring <PHONE_NUMBER>');
    expect((copy.misc as string[])[0]).toBe('ring +* *** *** 0123');
  });

  it('drop removes the attribute; non-string governed values are hashed whole', () => {
    const { event: copy } = redactor.event(profile({ secret: 'x', user_id: 1842 }), PROFILE);
    expect(copy).not.toHaveProperty('secret');
    expect(copy.user_id).toBe(saltedHash('1842'));
  });

  it('scans every string of an event without a contract', () => {
    const { event: copy } = redactor.event(
      { event_type: 'nobody.knows', note: 'mail jane.doe@example.com' },
      null,
    );
    expect(copy).toEqual({ event_type: 'nobody.knows', note: 'mail <EMAIL_ADDRESS>' });
  });

  it('redacts a plain text with the configured operators', () => {
    expect(redactor.text('call +1 415 555 0123 or jane.doe@example.com')).toEqual({
      text: 'call +* *** *** 0123 or <EMAIL_ADDRESS>',
      entities: [
        { entity: 'PHONE_NUMBER', start: 5, end: 20, score: expect.any(Number) },
        { entity: 'EMAIL_ADDRESS', start: 24, end: 44, score: 1 },
      ],
    });
  });
});

describe('event redactor on keys', () => {
  it('renames object keys that hold PII to their salted hash', () => {
    const { event: copy } = redactor.event({ notes: { 'jane.doe@example.com': 'vip', plain_key: 1 } }, null);
    expect(copy).toEqual({ notes: { [saltedHash('jane.doe@example.com')]: 'vip', plain_key: 1 } });
  });
});
