import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../monitor/config/config.js';
import { type ConsentRecord, readConsentRecord } from './consent-record.js';
import {
  GPC_NONE,
  GPC_TRUE,
  LedgerEntries,
  MODE_DENIED,
  MODE_GRANTED,
  recordIdHash,
  STATUS_WITHDRAWN,
} from './ledger-entries.js';

const policy = buildConfig({}).detectors.consent;

function rec(input: Record<string, unknown>): ConsentRecord {
  const r = readConsentRecord({ user_id: 'u1', occurred_at: '2026-03-01T10:00:00.250Z', ...input }, policy);
  if (!r.ok) throw new Error(r.error);
  return r.record;
}

describe('LedgerEntries', () => {
  it('knows an entry by its record id, whatever its flags, and only by the whole id', () => {
    const entries = new LedgerEntries();
    const e = entries.add(rec({ record_id: 'cmp-77', purpose: 'analytics', status: 'granted' }));
    entries.setFlags(e, 3);
    expect(entries.flags(e)).toBe(3);
    expect(entries.hasRecordId(e, 'cmp-77', recordIdHash('cmp-77'))).toBe(true);
    entries.setFlags(e, 0);
    expect(entries.hasRecordId(e, 'cmp-77', recordIdHash('cmp-77'))).toBe(true);
    expect(entries.hasRecordId(e, 'cmp-78', recordIdHash('cmp-78'))).toBe(false);
    // Two ids with one hash: the strings decide.
    const seen = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let i = 0; pair === null; i++) {
      const id = `id-${i}`;
      const other = seen.get(recordIdHash(id));
      if (other !== undefined) pair = [other, id];
      seen.set(recordIdHash(id), id);
    }
    const f = entries.add(rec({ record_id: pair[0], purpose: 'analytics', status: 'granted' }));
    expect(entries.hasRecordId(f, pair[1], recordIdHash(pair[1]))).toBe(false);
    expect(entries.hasRecordId(f, pair[0], recordIdHash(pair[0]))).toBe(true);
  });

  it('gives back every field of the record it holds', () => {
    const full = rec({
      record_id: 'evt-1:analytics:withdrawn',
      purpose: 'analytics',
      status: 'withdrawn',
      consent_version: '2024-05',
      source: 'onetrust',
      lawful_basis: 'consent',
      region: 'DE',
      gpc: true,
      consent_mode: { analytics_storage: 'denied', ad_user_data: 'granted' },
      expires_at: '2027-03-01T10:00:00Z',
    });
    const bare = rec({ purpose: 'recording', status: 'granted' });
    const entries = new LedgerEntries();
    const a = entries.add(full);
    const b = entries.add(bare);
    expect(entries.toRecord(a, 'u1')).toEqual(full);
    expect(entries.toRecord(b, 'u1')).toEqual(bare);
    expect(entries.status(a)).toBe(STATUS_WITHDRAWN);
    expect(entries.gpc(a)).toBe(GPC_TRUE);
    expect(entries.gpc(b)).toBe(GPC_NONE);
    expect(entries.mode(a, 1)).toBe(MODE_DENIED); // analytics_storage
    expect(entries.mode(a, 2)).toBe(MODE_GRANTED); // ad_user_data
    expect(entries.mode(a, 0)).toBe(0);
    expect(entries.expiresMs(a)).toBe(Date.parse('2027-03-01T10:00:00Z'));
    expect(entries.expiresMs(b)).toBeNaN();
  });

  it('keeps links, flags and times through growth past its first capacity', () => {
    const entries = new LedgerEntries(2);
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const e = entries.add(rec({ purpose: 'analytics', status: 'granted', record_id: `r${i}` }));
      entries.setPrev(e, ids.at(-1) ?? -1);
      entries.setFlags(e, i % 4);
      ids.push(e);
    }
    ids.forEach((e, i) => {
      expect(entries.recordId(e)).toBe(`r${i}`);
      expect(entries.prev(e)).toBe(i === 0 ? -1 : ids[i - 1]);
      expect(entries.flags(e)).toBe(i % 4);
      expect(entries.ms(e)).toBe(Date.parse('2026-03-01T10:00:00.250Z'));
    });
    expect(entries.size).toBe(100);
  });

  it('reuses released entries before growing', () => {
    const entries = new LedgerEntries(4);
    const a = entries.add(rec({ purpose: 'analytics', status: 'granted', record_id: 'a' }));
    const b = entries.add(rec({ purpose: 'analytics', status: 'granted', record_id: 'b' }));
    entries.release(a);
    entries.release(b);
    expect(entries.size).toBe(0);
    const c = entries.add(rec({ purpose: 'recording', status: 'denied', record_id: 'c' }));
    expect([a, b]).toContain(c);
    expect(entries.toRecord(c, 'u1').record_id).toBe('c');
    expect(entries.prev(c)).toBe(-1);
  });

  it('stores each distinct string once', () => {
    const entries = new LedgerEntries();
    for (let i = 0; i < 50; i++) {
      entries.add(
        rec({
          purpose: 'analytics',
          status: 'granted',
          record_id: `r${i}`,
          consent_version: 'v3',
          region: 'FR',
        }),
      );
    }
    expect(entries.versions.values).toEqual(['v3']);
    expect(entries.regions.values).toEqual(['FR']);
  });
});
