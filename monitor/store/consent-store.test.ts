import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentCheck } from '../../detectors/consent/consent-detector.js';
import { type ConsentRecord, readConsentRecord } from '../../detectors/consent/consent-record.js';
import { buildConfig } from '../config/config.js';
import { saltedHash } from '../findings/safe-token.js';
import type { Store } from './store.js';
import { testStores } from './test-stores.js';

const policy = buildConfig({}).detectors.consent;
const JANE = 'jane.doe@example.com';

function rec(input: Record<string, unknown>): ConsentRecord {
  const r = readConsentRecord({ user_id: JANE, purpose: 'analytics', ...input }, policy);
  if (!r.ok) throw new Error(r.error);
  return r.record;
}

function check(input: Partial<ConsentCheck>): ConsentCheck {
  return {
    event_id: '5b0c1f52-8d1e-4c55-9d7e-0c3a8f1d2e11',
    occurred_at: '2026-03-01T12:00:00.000Z',
    contract: 'conversation.message',
    version: '1.1.0',
    purpose: 'analytics',
    channel: 'web_chat',
    user_id: JANE,
    outcome: 'valid',
    record_id: null,
    detected_at: '2026-03-01T12:00:01.000Z',
    ...input,
  };
}

describe.each(testStores())('consent store on $name', (target) => {
  let store: Store;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(() => target.cleanup());

  // Consent events are not checked for what the database refuses, as import rows are: one such
  // character must not fail the write, or every later write of the ledger and of the checks.
  it('stores records and checks holding NUL or a lone surrogate, with U+FFFD in their place', async () => {
    const r = rec({
      record_id: 'odd-1',
      user_id: 'odd-user',
      status: 'granted',
      occurred_at: '2026-03-01T10:00:00Z',
      source: 'cmp\ud800',
    });
    expect(await store.consent.insertRecords([{ ...r, consent_version: 'v\u00001' }])).toBe(1);
    expect(await store.consent.timeline('odd-user')).toMatchObject([
      { source: 'cmp\ufffd', consent_version: 'v\ufffd1' },
    ]);
    await store.consent.insertChecks([check({ user_id: 'odd-user', channel: 'chat\udc00' })]);
    expect(await store.consent.countChecks('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')).toContainEqual(
      expect.objectContaining({ channel: 'chat\ufffd', n: 1 }),
    );
  });

  it('erases a user by hashing the user id and imported record ids, keeping the proof of stopping', async () => {
    const importedId = `${JANE}:analytics:withdrawn`;
    const grant = rec({
      record_id: `${JANE}:analytics:granted`,
      status: 'granted',
      occurred_at: '2026-04-01T10:00:00Z',
    });
    const withdrawal = rec({
      record_id: importedId,
      status: 'withdrawn',
      occurred_at: '2026-04-02T10:00:00Z',
    });
    await store.consent.insertRecords([grant, withdrawal]);
    await store.consent.insertChecks([
      check({ occurred_at: '2026-04-03T10:00:00.000Z', outcome: 'consent_withdrawn', record_id: importedId }),
    ]);
    const period = ['2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z'] as const;
    const before = await store.consent.withdrawals(...period);
    expect(before).toMatchObject([{ user_id: JANE, record_id: importedId, events_after: 1 }]);

    const hash = saltedHash(JANE);
    expect(await store.consent.erase(JANE, hash)).toEqual({
      records_pseudonymized: 2,
      checks_pseudonymized: 1,
    });
    const after = await store.consent.withdrawals(...period);
    expect(after).toEqual([
      { ...before[0], user_id: hash, user_erased: true, record_id: saltedHash(importedId) },
    ]);
    expect(JSON.stringify(await store.consent.evidence(...period, 10))).not.toContain(JANE);
    expect(await store.consent.loadRecords([JANE])).toEqual([]);
    // The user comes back with the same platform ids: recorded anew, the erased rows untouched.
    expect(await store.consent.insertRecords([grant, withdrawal])).toBe(2);
    expect(await store.consent.timeline(JANE)).toHaveLength(2);
  });
});
