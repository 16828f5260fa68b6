import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../monitor/config/config.js';
import { ConsentLedger, type LedgerBacking } from './consent-ledger.js';
import { type ConsentRecord, readConsentRecord } from './consent-record.js';

const policy = buildConfig({}).detectors.consent;

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A ledger record read the way imports and consent events read them. */
function rec(
  user: string,
  purpose: string,
  status: 'granted' | 'denied' | 'withdrawn',
  ms: number,
  extra: Record<string, unknown> = {},
): ConsentRecord {
  const r = readConsentRecord({ user_id: user, purpose, status, occurred_at: iso(ms), ...extra }, policy);
  if (!r.ok) throw new Error(r.error);
  return r.record;
}

/**
 * A durable ledger kept in memory: what the store does, minus the database.
 * It ignores ids it holds (as the store's ON CONFLICT DO NOTHING does), keeps
 * every load and save for assertions, and can be told to fail saves.
 */
class MemoryBacking implements LedgerBacking {
  readonly rows = new Map<string, ConsentRecord>();
  readonly loads: string[][] = [];
  readonly saves: string[][] = [];
  failSaves = 0;

  async load(userIds: readonly string[]): Promise<ConsentRecord[]> {
    this.loads.push([...userIds]);
    const wanted = new Set(userIds);
    return [...this.rows.values()].filter((r) => wanted.has(r.user_id));
  }

  async save(records: readonly ConsentRecord[]): Promise<void> {
    if (this.failSaves > 0) {
      this.failSaves--;
      throw new Error('connection refused');
    }
    this.saves.push(records.map((r) => r.record_id));
    for (const r of records) if (!this.rows.has(r.record_id)) this.rows.set(r.record_id, r);
  }
}

describe('ConsentLedger: the state at event time', () => {
  const ledger = new ConsentLedger(100);
  const granted = rec('u1', 'analytics', 'granted', T0);
  const withdrawn = rec('u1', 'analytics', 'withdrawn', T0 + 2 * HOUR);
  const regranted = rec('u1', 'analytics', 'granted', T0 + 4 * HOUR);
  // Recorded out of order: the list is kept by event time, not by arrival.
  for (const r of [regranted, granted, withdrawn]) ledger.record(r);

  it('is null before the first record', () => {
    expect(ledger.at('u1', 'analytics', T0 - 1)).toBeNull();
  });

  it('is the record at exactly its time', () => {
    expect(ledger.at('u1', 'analytics', T0)).toEqual(granted);
    expect(ledger.at('u1', 'analytics', T0 + 2 * HOUR)).toEqual(withdrawn);
    expect(ledger.at('u1', 'analytics', T0 + 4 * HOUR)).toEqual(regranted);
  });

  it('is the earlier record between two records', () => {
    expect(ledger.at('u1', 'analytics', T0 + 1)).toEqual(granted);
    expect(ledger.at('u1', 'analytics', T0 + 2 * HOUR - 1)).toEqual(granted);
    expect(ledger.at('u1', 'analytics', T0 + 3 * HOUR)).toEqual(withdrawn);
    expect(ledger.at('u1', 'analytics', T0 + 1000 * HOUR)).toEqual(regranted);
  });

  it('keeps purposes and users apart', () => {
    expect(ledger.at('u1', 'model_training', T0 + HOUR)).toBeNull();
    expect(ledger.at('u2', 'analytics', T0 + HOUR)).toBeNull();
  });

  it('lists the timeline by event time', () => {
    expect(ledger.timeline('u1')).toEqual([granted, withdrawn, regranted]);
    expect(ledger.timeline('nobody')).toEqual([]);
  });

  it('finds the record in force among many by binary search', () => {
    const l = new ConsentLedger(10);
    const records = Array.from({ length: 200 }, (_, i) =>
      rec('u1', 'analytics', i % 2 === 0 ? 'granted' : 'withdrawn', T0 + i * HOUR),
    );
    for (const r of [...records].reverse()) l.record(r);
    for (let i = 0; i < records.length; i++) {
      expect(l.at('u1', 'analytics', T0 + i * HOUR + HOUR / 2)).toEqual(records[i]);
    }
  });

  it('applies a late record by its event time, changing events between it and the next record', () => {
    const l = new ConsentLedger(10);
    l.record(rec('u1', 'analytics', 'granted', T0));
    l.record(rec('u1', 'analytics', 'granted', T0 + 10 * HOUR));
    const late = rec('u1', 'analytics', 'withdrawn', T0 + 5 * HOUR);
    expect(l.record(late)).toBe(true);
    expect(l.at('u1', 'analytics', T0 + 4 * HOUR)?.status).toBe('granted');
    expect(l.at('u1', 'analytics', T0 + 6 * HOUR)).toEqual(late);
    expect(l.at('u1', 'analytics', T0 + 11 * HOUR)?.status).toBe('granted');
  });

  it('ignores a record id it already holds, even with other content', () => {
    const l = new ConsentLedger(10);
    const first = rec('u1', 'analytics', 'granted', T0, { record_id: 'evt-1:analytics' });
    expect(l.record(first)).toBe(true);
    expect(l.record({ ...first })).toBe(false);
    const changed = {
      ...first,
      status: 'denied' as const,
      occurred_at: iso(T0 + HOUR),
      occurred_ms: T0 + HOUR,
    };
    expect(l.record(changed)).toBe(false);
    expect(l.timeline('u1')).toEqual([first]);
    expect(l.at('u1', 'analytics', T0 + 2 * HOUR)).toEqual(first);
  });

  it('reads the GPC signal in force at a time from the latest record that carried one', () => {
    const l = new ConsentLedger(10);
    l.record(rec('u1', 'analytics', 'granted', T0, { gpc: true }));
    l.record(rec('u1', 'model_training', 'granted', T0 + HOUR));
    l.record(rec('u1', 'advertising', 'denied', T0 + 2 * HOUR, { gpc: false }));
    expect(l.gpcAt('u1', T0 - 1)).toBe(false);
    expect(l.gpcAt('u1', T0)).toBe(true);
    // A record without a signal leaves the earlier one in force.
    expect(l.gpcAt('u1', T0 + HOUR)).toBe(true);
    expect(l.gpcAt('u1', T0 + 2 * HOUR)).toBe(false);
    expect(l.gpcAt('unknown', T0)).toBe(false);
  });

  it('reads the region of the latest record that names one, across purposes', () => {
    const l = new ConsentLedger(10);
    l.record(rec('u1', 'analytics', 'granted', T0, { region: 'DE' }));
    l.record(rec('u1', 'model_training', 'granted', T0 + HOUR, { region: 'US-CA' }));
    l.record(rec('u1', 'model_training', 'denied', T0 + 2 * HOUR));
    l.record(rec('u1', 'analytics', 'denied', T0 + 3 * HOUR, { region: 'FR' }));
    expect(l.regionAt('u1', T0 - 1)).toBeNull();
    expect(l.regionAt('u1', T0)).toBe('DE');
    expect(l.regionAt('u1', T0 + HOUR)).toBe('US-CA');
    // The latest record names none: the latest one that does still holds.
    expect(l.regionAt('u1', T0 + 2 * HOUR)).toBe('US-CA');
    expect(l.regionAt('u1', T0 + 3 * HOUR)).toBe('FR');
    expect(l.regionAt('unknown', T0)).toBeNull();
  });
});

describe('ConsentLedger: the cache', () => {
  it('evicts one user for each new one at maxUsers, keeping the newest', () => {
    const l = new ConsentLedger(3);
    for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) l.record(rec(u, 'analytics', 'granted', T0));
    expect(l.stats().users).toBe(3);
    const present = ['u1', 'u2', 'u3', 'u4', 'u5'].filter((u) => l.timeline(u).length > 0);
    expect(present).toHaveLength(3);
    expect(present).toContain('u5');
  });

  it('keeps a working set read over and over while a stream of users passes through', () => {
    const l = new ConsentLedger(100);
    const hot = Array.from({ length: 20 }, (_, i) => `hot-${i}`);
    for (const u of hot) l.record(rec(u, 'analytics', 'granted', T0));
    for (let i = 0; i < 2000; i++) {
      for (const u of hot) l.at(u, 'analytics', T0);
      l.record(rec(`cold-${i}`, 'analytics', 'granted', T0));
    }
    expect(l.stats().users).toBe(100);
    for (const u of hot) expect(l.timeline(u), u).toHaveLength(1);
    // The newest users are still there: each gets a pass of the hand before it can go.
    expect(l.timeline('cold-1999')).toHaveLength(1);
  });

  it('never evicts, while loading a batch, a user of the same batch', async () => {
    const backing = new MemoryBacking();
    for (let u = 0; u < 20; u++) {
      const r = rec(`u${u}`, 'analytics', 'granted', T0);
      backing.rows.set(r.record_id, r);
    }
    // Room for two, both read: making room for u2 sweeps every bit clear and would take u0 on the next pass.
    const l = new ConsentLedger(2, backing);
    await l.prefetch(['u0', 'u1']);
    for (const u of ['u0', 'u1']) expect(l.at(u, 'analytics', T0)).not.toBeNull();
    await l.prefetch(['u0', 'u2']);
    for (const u of ['u0', 'u2']) expect(l.at(u, 'analytics', T0), u).not.toBeNull();
    // Many batches, each one user held and one to load.
    const big = new ConsentLedger(4, backing);
    for (let i = 0; i < 60; i++) {
      const batch = [`u${i % 20}`, `u${(i * 7 + 3) % 20}`];
      await big.prefetch(batch);
      for (const u of batch) expect(big.at(u, 'analytics', T0), `${u} at batch ${i}`).not.toBeNull();
    }
    // A batch larger than the cache still loads (its own users make room), without looping.
    await new ConsentLedger(2, backing).prefetch(['u5', 'u6', 'u7', 'u8']);
  });

  it('prefetches only the users it lacks, counting hits and misses per distinct user', async () => {
    const backing = new MemoryBacking();
    const stored = rec('u1', 'analytics', 'granted', T0);
    backing.rows.set(stored.record_id, stored);
    const l = new ConsentLedger(10, backing);
    await l.prefetch(['u1', 'u2', 'u1']);
    expect(backing.loads).toEqual([['u1', 'u2']]);
    expect(l.stats()).toMatchObject({ hits: 0, misses: 2, users: 2, pending: 0 });
    expect(l.at('u1', 'analytics', T0 + 1)).toEqual(stored);

    await l.prefetch(['u1', 'u3', 'u2']);
    expect(backing.loads).toEqual([['u1', 'u2'], ['u3']]);
    expect(l.stats()).toMatchObject({ hits: 2, misses: 3, users: 3, pending: 0 });
  });

  it('remembers a user with no records, so the backing is not asked again', async () => {
    const backing = new MemoryBacking();
    const l = new ConsentLedger(10, backing);
    await l.prefetch(['nobody']);
    await l.prefetch(['nobody']);
    expect(backing.loads).toEqual([['nobody']]);
    expect(l.stats()).toMatchObject({ hits: 1, misses: 1, users: 1 });
  });

  it('does not ask the backing when every user is in memory', async () => {
    const backing = new MemoryBacking();
    const l = new ConsentLedger(10, backing);
    await l.prefetch(['u1']);
    await l.prefetch([]);
    await l.prefetch(['u1', 'u1']);
    expect(backing.loads).toHaveLength(1);
  });

  it('prefetch without a backing does nothing', async () => {
    const l = new ConsentLedger(10);
    await l.prefetch(['u1']);
    expect(l.stats()).toMatchObject({ hits: 0, misses: 0, users: 0, pending: 0 });
  });

  it('reloads a user evicted from memory with the records the backing holds', async () => {
    const backing = new MemoryBacking();
    const l = new ConsentLedger(1, backing);
    const r1 = rec('u1', 'analytics', 'granted', T0);
    l.record(r1);
    await l.flush();
    l.record(rec('u2', 'analytics', 'granted', T0));
    expect(l.timeline('u1')).toEqual([]);
    await l.prefetch(['u1']);
    expect(l.at('u1', 'analytics', T0)).toEqual(r1);
  });

  // A user brought into memory by a new record (a caller skipped prepare(), or the user was
  // evicted mid-batch) is not yet loaded: prefetch still asks the backing for their records.
  it('still loads the stored records of a user a new record brought back into memory', async () => {
    const backing = new MemoryBacking();
    const stored = rec('u1', 'analytics', 'granted', T0);
    backing.rows.set(stored.record_id, stored);
    const l = new ConsentLedger(10, backing);
    l.record(rec('u1', 'model_training', 'denied', T0 + HOUR));
    await l.prefetch(['u1']);
    expect(l.at('u1', 'analytics', T0 + 2 * HOUR)).toEqual(stored);
  });
});

describe('ConsentLedger: writes to the backing', () => {
  it('keeps new records pending until flush, then writes them in one batch', async () => {
    const backing = new MemoryBacking();
    const l = new ConsentLedger(10, backing);
    const a = rec('u1', 'analytics', 'granted', T0);
    const b = rec('u2', 'analytics', 'denied', T0);
    l.record(a);
    l.record(b);
    l.record({ ...a });
    expect(l.stats().pending).toBe(2);
    expect(backing.rows.size).toBe(0);
    await l.flush();
    expect(backing.saves).toEqual([[a.record_id, b.record_id]]);
    expect(l.stats().pending).toBe(0);
    await l.flush();
    expect(backing.saves).toHaveLength(1);
  });

  it('does not write records it loaded from the backing back to it', async () => {
    const backing = new MemoryBacking();
    const stored = rec('u1', 'analytics', 'granted', T0);
    backing.rows.set(stored.record_id, stored);
    const l = new ConsentLedger(10, backing);
    await l.prefetch(['u1']);
    expect(l.record(stored)).toBe(false);
    await l.flush();
    expect(l.stats().pending).toBe(0);
    expect(backing.saves).toEqual([]);
  });

  it('keeps nothing pending without a backing', async () => {
    const l = new ConsentLedger(10);
    expect(l.record(rec('u1', 'analytics', 'granted', T0))).toBe(true);
    expect(l.stats().pending).toBe(0);
    await l.flush();
  });

  it('keeps the records pending when save throws, and writes them with later ones on the next flush', async () => {
    const backing = new MemoryBacking();
    backing.failSaves = 1;
    const l = new ConsentLedger(10, backing);
    const a = rec('u1', 'analytics', 'granted', T0);
    l.record(a);
    await expect(l.flush()).rejects.toThrow('connection refused');
    expect(l.stats().pending).toBe(1);
    expect(l.at('u1', 'analytics', T0)).toEqual(a);
    const b = rec('u1', 'analytics', 'withdrawn', T0 + HOUR);
    l.record(b);
    await l.flush();
    expect(backing.saves).toEqual([[a.record_id, b.record_id]]);
    expect(l.stats().pending).toBe(0);
  });

  it('keeps records that arrive while a failing save is in flight, after the failed batch', async () => {
    let fail: ((err: Error) => void) | undefined;
    const saved: string[][] = [];
    const backing: LedgerBacking = {
      load: async () => [],
      // The first save hangs until the test fails it; later ones succeed.
      save: (records) => {
        if (fail === undefined) {
          return new Promise<void>((_, reject) => {
            fail = reject;
          });
        }
        saved.push(records.map((r) => r.record_id));
        return Promise.resolve();
      },
    };
    const l = new ConsentLedger(10, backing);
    const a = rec('u1', 'analytics', 'granted', T0);
    const b = rec('u2', 'analytics', 'granted', T0);
    l.record(a);
    const flushing = l.flush();
    l.record(b);
    fail?.(new Error('timeout'));
    await expect(flushing).rejects.toThrow('timeout');
    await l.flush();
    expect(saved).toEqual([[a.record_id, b.record_id]]);
  });

  it('re-applies pending records to a user evicted and prefetched before the flush', async () => {
    const backing = new MemoryBacking();
    const l = new ConsentLedger(1, backing);
    const a = rec('u1', 'analytics', 'withdrawn', T0);
    const b = rec('u2', 'analytics', 'granted', T0);
    l.record(a);
    l.record(b);
    expect(l.timeline('u1')).toEqual([]);
    await l.prefetch(['u1']);
    expect(l.at('u1', 'analytics', T0 + HOUR)).toEqual(a);
    // Re-applied in memory, not queued twice.
    expect(l.stats().pending).toBe(2);
    await l.flush();
    expect(backing.saves).toEqual([[a.record_id, b.record_id]]);
  });

  it('applies records taken for writing to a user reloaded before the store confirmed them', async () => {
    const backing = new MemoryBacking();
    const l = new ConsentLedger(1, backing);
    const a = rec('u1', 'analytics', 'withdrawn', T0);
    l.record(a);
    // Taken into a unit that went to the spool: the store does not have it yet.
    expect(l.takePending()).toEqual([a]);
    l.record(rec('u2', 'analytics', 'granted', T0));
    await l.prefetch(['u1']);
    expect(l.at('u1', 'analytics', T0 + HOUR)).toEqual(a);
    // Once stored, a reload reads it from the store like any other.
    l.confirmStored([a]);
    await l.prefetch(['u2']);
    await l.prefetch(['u1']);
    expect(l.at('u1', 'analytics', T0 + HOUR)).toBeNull();
    // Records a spool holds from an earlier run count as well.
    l.addUnstored([a]);
    await l.prefetch(['u2']);
    await l.prefetch(['u1']);
    expect(l.at('u1', 'analytics', T0 + HOUR)).toEqual(a);
  });

  it('forget() drops the user from memory and their pending writes, and nobody else', async () => {
    const backing = new MemoryBacking();
    const l = new ConsentLedger(10, backing);
    const kept = rec('u2', 'analytics', 'granted', T0);
    l.record(rec('u1', 'analytics', 'granted', T0, { gpc: true, region: 'US' }));
    l.record(kept);
    l.forget('u1');
    expect(l.timeline('u1')).toEqual([]);
    expect(l.at('u1', 'analytics', T0)).toBeNull();
    expect(l.gpcAt('u1', T0)).toBe(false);
    expect(l.regionAt('u1', T0)).toBeNull();
    expect(l.stats()).toMatchObject({ users: 1, pending: 1 });
    await l.flush();
    expect(backing.saves).toEqual([[kept.record_id]]);
    // The user is no longer known to be loaded: the next batch asks the backing again.
    await l.prefetch(['u1']);
    expect(backing.loads).toEqual([['u1']]);
    expect(() => l.forget('never-seen')).not.toThrow();
  });
});
