import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../monitor/findings/finding.js';
import { saltedHash } from '../../monitor/findings/safe-token.js';
import { readEnvelope } from '../../monitor/pipeline/envelope.js';
import { ContractRegistry, type ResolvedContract } from '../../monitor/registry/registry.js';
import type { Detector } from '../detector.js';
import { createPiiDetector } from './pii-detector.js';
import { PROFILE, profile } from './test-profile-contract.js';

let detector: Detector;
let resolved: ResolvedContract;

beforeAll(() => {
  const registry = new ContractRegistry();
  registry.add(PROFILE);
  const r = registry.resolve('test.profile', null);
  if (!r.ok) throw new Error('test contract did not resolve');
  resolved = r.resolved;
  detector = createPiiDetector();
});

function inspect(event: Record<string, unknown>): Finding[] {
  return detector.inspect!(event, {
    envelope: readEnvelope(event),
    contract: resolved,
    validationErrors: null,
    mode: 'observe',
    now: new Date('2026-03-01T10:00:01Z'),
  });
}

describe('pii detector', () => {
  it('raises nothing when PII sits only where the contract declares it', () => {
    expect(inspect(profile())).toEqual([]);
  });

  it('reports an undeclared entity in free text as a critical pii_leak with pointer, entities, excerpt and hash', () => {
    const notes = 'please refund to card 4111 1111 1111 1111 and email me at jane.doe@example.com, thanks';
    const [f, ...rest] = inspect(profile({ notes }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      detector: 'pii',
      kind: 'pii_leak',
      severity: 'critical',
      contract: 'test.profile',
      version: '1.0.0',
      attribute: '/notes',
      event_id: '7d7f2a4e-1b7c-4f3b-9a55-0d1f4c2b9e10',
    });
    expect(f!.evidence).toEqual({
      entities: [
        { entity: 'CREDIT_CARD', score: expect.any(Number), start: 22, end: 41 },
        { entity: 'EMAIL_ADDRESS', score: 1, start: 58, end: 78 },
      ],
      excerpt: 'please refund to card <CREDIT_CARD> and email me at <EMAIL_ADDRESS>, thanks',
      value_hash: saltedHash(notes),
    });
    expect(f!.message).toBe(
      'CREDIT_CARD, EMAIL_ADDRESS found in /notes, which the contract does not declare as holding it',
    );
    expect(JSON.stringify(f)).not.toMatch(/4111|jane\.doe/);
  });

  it('scans nested objects and arrays, naming the governance pointer and the exact one', () => {
    const event = profile({
      transcript: [{ text: 'hello' }, { text: 'my ssn is 123-45-6789' }],
      extra: { deep: ['ok', 'reach me at +1 415 555 0123'] },
    });
    const found = inspect(event).map((f) => ({
      attribute: f.attribute,
      pointer: f.evidence.pointer,
      entities: (f.evidence.entities as Array<{ entity: string }>).map((e) => e.entity),
    }));
    expect(found).toEqual([
      { attribute: '/transcript/items/text', pointer: '/transcript/1/text', entities: ['US_SSN'] },
      { attribute: '/extra/deep/items', pointer: '/extra/deep/1', entities: ['PHONE_NUMBER'] },
    ]);
  });

  it('an entity of another category in a declared attribute is a leak', () => {
    const [f] = inspect(profile({ email: 'jane.doe@example.com / card 4111-1111-1111-1111' }));
    expect(f).toMatchObject({ kind: 'pii_leak', attribute: '/email' });
    expect((f!.evidence.entities as Array<{ entity: string }>).map((e) => e.entity)).toEqual(['CREDIT_CARD']);
  });

  it('a declared attribute that holds none of what it declares is a pii_mismatch warning', () => {
    const found = inspect(profile({ email: 'not given', phone: 'n/a' }));
    expect(found.map((f) => [f.kind, f.severity, f.attribute])).toEqual([
      ['pii_mismatch', 'warning', '/email'],
      ['pii_mismatch', 'warning', '/phone'],
    ]);
    expect(found[0]!.message).toBe('/email is declared to hold EMAIL_ADDRESS or PHONE_NUMBER but holds none');
  });

  it('an email used as a user id is a leak: identifiers are declared, contact data is not', () => {
    const [f] = inspect(profile({ user_id: 'jane.doe@example.com' }));
    expect(f).toMatchObject({ kind: 'pii_leak', attribute: '/user_id' });
    expect(JSON.stringify(f)).not.toContain('jane.doe');
  });

  it('hashes keys that hold PII in the attribute it reports', () => {
    const [f] = inspect(profile({ 'jane.doe@example.com': 'call +1 415 555 0123' }));
    expect(f!.attribute).toBe(`/${saltedHash('jane.doe@example.com')}`);
  });

  it('passes over numbers, booleans and nulls, and survives lone surrogates', () => {
    expect(inspect(profile({ n: 4111111111111111, b: true, z: null }))).toEqual([]);
    expect(() => inspect(profile({ notes: 'bad \ud800 text \udfff jane.doe@example.com' }))).not.toThrow();
  });

  it('is switched off by enabled: false', () => {
    const off = createPiiDetector({
      enabled: false,
      threshold: 0.5,
      entities: null,
      operators: {},
      excerptChars: 40,
    });
    const event = profile({ notes: 'jane.doe@example.com' });
    expect(
      off.inspect!(event, {
        envelope: readEnvelope(event),
        contract: resolved,
        validationErrors: null,
        mode: 'observe',
        now: new Date(),
      }),
    ).toEqual([]);
  });
});
