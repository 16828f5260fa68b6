import { afterAll, describe, expect, it } from 'vitest';
import type { ConsentCheck } from '../../../detectors/consent/consent-detector.js';
import { ConsentLedger } from '../../../detectors/consent/consent-ledger.js';
import type { ConsentRecord } from '../../../detectors/consent/consent-record.js';
import type { ConsentStore } from '../consent-store.js';
import { ConsentWriter } from '../consent-writer.js';
import { FindingWriter } from '../finding-writer.js';
import type { Store } from '../store.js';
import { testFinding as finding } from '../test-findings.js';
import { testStores } from '../test-stores.js';
import type { WriteUnit } from '../write-unit.js';
import { DurableWriter } from './durable-writer.js';
import { type FlushReport, StoreFlusher } from './store-flusher.js';

const DAY_FROM = '2025-03-01T00:00:00Z';
const DAY_TO = '2025-03-02T00:00:00Z';

function consentCheck(over: Partial<ConsentCheck> = {}): ConsentCheck {
  return {
    event_id: 'ev-1',
    occurred_at: '2025-03-01T10:00:00.000Z',
    contract: 'conversation.message',
    version: '1.1.0',
    purpose: 'analytics',
    channel: 'web_chat',
    user_id: 'user-1',
    outcome: 'valid',
    record_id: null,
    detected_at: '2025-03-01T10:00:01.000Z',
    ...over,
  };
}

function consentRecord(over: Partial<ConsentRecord> = {}): ConsentRecord {
  const occurred = '2025-03-01T09:00:00.000Z';
  return {
    record_id: 'rec-1',
    user_id: 'user-1',
    purpose: 'analytics',
    status: 'granted',
    occurred_at: occurred,
    occurred_ms: Date.parse(occurred),
    consent_version: 'v1',
    source: 'cmp',
    lawful_basis: null,
    region: null,
    gpc: null,
    consent_mode: null,
    expires_at: null,
    ...over,
  };
}

/** Never called: the tests attach no ledger that would load or save through the consent writer's backing. */
const NO_CONSENT_STORE = {} as ConsentStore;

class Deferred {
  resolve: () => void = () => {};
  readonly promise = new Promise<void>((r) => {
    this.resolve = r;
  });
}

/**
 * Keeps the units the flusher writes, in memory. Fails the next `failures`
 * writes as an unreachable database would; refuses as data (SQLSTATE 22P05)
 * any unit holding a finding sampled from event 'bad' or a check of user 'bad';
 * holds writes while `gate` is set.
 */
class FakeStore implements Pick<Store, 'writeUnit'> {
  units: WriteUnit[] = [];
  calls = 0;
  active = 0;
  maxActive = 0;
  failures = 0;
  /** Writes that commit and then lose their answer, as a connection cut after COMMIT does. */
  lostAnswers = 0;
  gate: Deferred | null = null;
  started: Deferred = new Deferred();
  private readonly ids = new Set<string>();

  async writeUnit(unit: WriteUnit): Promise<boolean> {
    this.calls += 1;
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    this.started.resolve();
    try {
      if (this.gate) await this.gate.promise;
      if (this.failures > 0) {
        this.failures -= 1;
        throw new Error('connection refused');
      }
      if (
        unit.findings.some((f) => f.sample_event_ids.includes('bad')) ||
        unit.checks.some((c) => c.user_id === 'bad')
      ) {
        throw Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });
      }
      if (this.ids.has(unit.id)) return false;
      this.ids.add(unit.id);
      this.units.push(structuredClone(unit));
      if (this.lostAnswers > 0) {
        this.lostAnswers -= 1;
        throw new Error('connection terminated unexpectedly');
      }
      return true;
    } finally {
      this.active -= 1;
    }
  }

  findings() {
    return this.units.flatMap((u) => u.findings);
  }
  checks() {
    return this.units.flatMap((u) => u.checks);
  }
  eventIds() {
    return this.units.flatMap((u) => u.eventIds);
  }
}

interface Rig {
  findings: FindingWriter;
  consent: ConsentWriter;
  durable: DurableWriter;
  flusher: StoreFlusher;
  reports: FlushReport[];
}

function rig(
  store: Pick<Store, 'writeUnit'>,
  consentStore: ConsentStore = NO_CONSENT_STORE,
  opts: { flushIntervalMs?: number; onFlush?: (r: FlushReport) => void } = {},
): Rig {
  const findings = new FindingWriter();
  const consent = new ConsentWriter(consentStore, { maxQueue: 1000 });
  const durable = new DurableWriter(store, { spool: null });
  const reports: FlushReport[] = [];
  const flusher = new StoreFlusher(findings, consent, durable, {
    flushIntervalMs: opts.flushIntervalMs ?? 60_000,
    onFlush: (r) => {
      reports.push(r);
      opts.onFlush?.(r);
    },
  });
  return { findings, consent, durable, flusher, reports };
}

describe('StoreFlusher', () => {
  it('writes everything pending as one unit: findings, consent records, checks and event ids', async () => {
    const store = new FakeStore();
    const { findings, consent, flusher, reports } = rig(store);
    const ledger = new ConsentLedger(100, consent.backing);
    consent.attach(ledger);
    findings.push(finding({ attribute: '/a', event_id: 'ev-1' }));
    findings.push(finding({ attribute: '/a', event_id: 'ev-2' }));
    findings.push(finding({ attribute: '/b', event_id: 'ev-2' }));
    expect(ledger.record(consentRecord())).toBe(true);
    consent.check(consentCheck({ event_id: 'ev-1' }));
    consent.check(consentCheck({ event_id: 'ev-2', outcome: 'consent_missing' }));

    expect(await flusher.flush(['ev-1', 'ev-2'])).toBe('stored');
    expect(store.units).toHaveLength(1);
    const unit = store.units[0]!;
    expect(unit.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(unit.findings.map((f) => [f.attribute, f.count])).toEqual([
      ['/a', 2],
      ['/b', 1],
    ]);
    expect(unit.records.map((r) => r.record_id)).toEqual(['rec-1']);
    expect(unit.checks.map((c) => c.outcome)).toEqual(['valid', 'consent_missing']);
    expect(unit.eventIds).toEqual(['ev-1', 'ev-2']);
    expect(reports).toEqual([
      { outcome: 'stored', rows: 7, findings: 2, durationMs: expect.any(Number), error: undefined },
    ]);
    expect(findings.queueDepth()).toBe(0);
    expect(consent.queueDepth()).toBe(0);
    expect(ledger.stats().pending).toBe(0);
  });

  it('writes nothing and reports nothing when nothing is pending', async () => {
    const store = new FakeStore();
    const { flusher, reports } = rig(store);
    expect(await flusher.flush()).toBeNull();
    expect(await flusher.flush([])).toBeNull();
    expect(store.calls).toBe(0);
    expect(reports).toEqual([]);
  });

  it('marks event ids processed even when they produced no rows, without repeating one', async () => {
    const store = new FakeStore();
    const { flusher } = rig(store);
    expect(await flusher.flush(['ev-1', 'ev-1', 'ev-2'])).toBe('stored');
    expect(store.units).toHaveLength(1);
    expect(store.units[0]).toMatchObject({
      findings: [],
      records: [],
      checks: [],
      eventIds: ['ev-1', 'ev-2'],
    });
  });

  it('flushes run one after the other; each covers every push made before it', async () => {
    const store = new FakeStore();
    const { findings, consent, flusher } = rig(store);
    store.gate = new Deferred();
    findings.push(finding({ attribute: '/a' }));
    consent.check(consentCheck({ user_id: 'u-a' }));
    const first = flusher.flush(['ev-a']);
    await store.started.promise;

    // The first unit is in the store's hands: these go with the second.
    findings.push(finding({ attribute: '/b' }));
    consent.check(consentCheck({ user_id: 'u-b' }));
    const second = flusher.flush(['ev-b']);
    findings.push(finding({ attribute: '/c' }));
    const third = flusher.flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(store.calls).toBe(1);

    const gate = store.gate;
    store.gate = null;
    gate.resolve();
    expect(await Promise.all([first, second, third])).toEqual(['stored', 'stored', null]);
    expect(store.maxActive).toBe(1);
    expect(store.units.map((u) => u.findings.map((f) => f.attribute))).toEqual([['/a'], ['/b', '/c']]);
    expect(store.units.map((u) => u.checks.map((c) => c.user_id))).toEqual([['u-a'], ['u-b']]);
    expect(store.units.map((u) => u.eventIds)).toEqual([['ev-a'], ['ev-b']]);
  });

  it('holds a unit that failed, id and all, and writes it first with the next flush', async () => {
    const store = new FakeStore();
    const { findings, consent, durable, flusher, reports } = rig(store);
    const ledger = new ConsentLedger(100, consent.backing);
    consent.attach(ledger);
    for (let i = 0; i < 3; i++) findings.push(finding({ attribute: `/a${i}`, event_id: `e-${i}` }));
    ledger.record(consentRecord({ record_id: 'rec-1' }));
    consent.check(consentCheck({ user_id: 'u-1' }));
    store.failures = 1;

    await expect(flusher.flush(['ev-1'])).rejects.toThrow('connection refused');
    expect(store.units).toHaveLength(0);
    // The rows left the writers for the held unit, and still count against the backlog.
    expect(findings.queueDepth()).toBe(0);
    expect(ledger.stats().pending).toBe(0);
    expect(flusher.heldRows()).toMatchObject({ findings: 3, checks: 1 });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ outcome: 'failed', rows: 6, findings: 3 });
    expect(reports[0]!.error?.message).toBe('connection refused');

    // Newer rows go in a unit of their own, after the held one.
    findings.push(finding({ attribute: '/a0', event_id: 'e-new' }));
    ledger.record(consentRecord({ record_id: 'rec-2' }));
    consent.check(consentCheck({ user_id: 'u-2' }));
    expect(await flusher.flush(['ev-2'])).toBe('stored');

    expect(store.units).toHaveLength(2);
    const [held, next] = store.units as [WriteUnit, WriteUnit];
    expect(held.findings.map((f) => [f.attribute, f.count])).toEqual([
      ['/a0', 1],
      ['/a1', 1],
      ['/a2', 1],
    ]);
    expect(held.records.map((r) => r.record_id)).toEqual(['rec-1']);
    expect(held.checks.map((c) => c.user_id)).toEqual(['u-1']);
    expect(held.eventIds).toEqual(['ev-1']);
    expect(next.findings.map((f) => [f.attribute, f.count])).toEqual([['/a0', 1]]);
    expect(next.records.map((r) => r.record_id)).toEqual(['rec-2']);
    expect(next.eventIds).toEqual(['ev-2']);
    expect(flusher.heldRows()).toMatchObject({ findings: 0, checks: 0, lagSeconds: 0 });
    expect(durable.dropped()).toEqual({ findings: 0, records: 0, checks: 0 });

    // Nothing is written twice.
    expect(await flusher.flush()).toBeNull();
    expect(store.units).toHaveLength(2);
  });

  it('a held unit keeps its id: a commit whose answer was lost is not counted twice', async () => {
    const store = new FakeStore();
    const { findings, flusher } = rig(store);
    findings.push(finding({ event_id: 'e-1' }));
    store.lostAnswers = 1;
    await expect(flusher.flush(['ev-1'])).rejects.toThrow('connection terminated');
    expect(store.units).toHaveLength(1);
    // Sent again under the same id: the store recognises it.
    expect(await flusher.flush()).toBeNull();
    expect(store.units).toHaveLength(1);
    expect(store.findings()).toHaveLength(1);
    expect(store.eventIds()).toEqual(['ev-1']);
  });

  it('drops only the rows the database refuses as data, and counts them', async () => {
    const store = new FakeStore();
    const { findings, consent, durable, flusher, reports } = rig(store);
    for (let i = 0; i < 4; i++)
      findings.push(finding({ attribute: `/a${i}`, event_id: i === 2 ? 'bad' : `e-${i}` }));
    findings.push(finding({ attribute: '/a2', event_id: 'e-2b', count: 2 }));
    consent.check(consentCheck({ user_id: 'u-1' }));
    consent.check(consentCheck({ user_id: 'bad' }));
    consent.check(consentCheck({ user_id: 'u-3' }));

    expect(await flusher.flush(['ev-1'])).toBe('stored');
    expect(store.findings().map((f) => f.attribute)).toEqual(['/a0', '/a1', '/a3']);
    expect(store.checks().map((c) => c.user_id)).toEqual(['u-1', 'u-3']);
    // Event ids are marked once every row they produced is in (or refused).
    const withIds = store.units.filter((u) => u.eventIds.length > 0);
    expect(withIds.map((u) => u.eventIds)).toEqual([['ev-1']]);
    expect(store.units.indexOf(withIds[0]!)).toBe(store.units.length - 2);
    // Last, the whole unit's id: a replay of it is a duplicate.
    expect(store.units.at(-1)).toMatchObject({ findings: [], records: [], checks: [], eventIds: [] });
    expect(store.eventIds()).toEqual(['ev-1']);
    // Row by row, each with an id of its own derived from the unit's.
    const unitId = store.units.at(-1)!.id;
    expect(store.units.slice(0, -1).every((u) => u.id.startsWith(`${unitId}/`))).toBe(true);
    expect(durable.dropped()).toEqual({ findings: 3, records: 0, checks: 1 });
    expect(findings.queueDepth()).toBe(0);
    expect(consent.queueDepth()).toBe(0);
    expect(reports.map((r) => r.outcome)).toEqual(['stored']);
  });

  it('stop() flushes, and is safe before start() and twice', async () => {
    const store = new FakeStore();
    const idle = rig(store);
    await idle.flusher.stop();
    await idle.flusher.stop();
    expect(store.calls).toBe(0);

    const { findings, consent, flusher } = rig(store);
    flusher.start();
    flusher.start();
    findings.push(finding());
    consent.check(consentCheck());
    await flusher.stop();
    await flusher.stop();
    expect(store.units).toHaveLength(1);
    expect(store.units[0]).toMatchObject({ findings: [{ count: 1 }], checks: [{ user_id: 'user-1' }] });
    expect(findings.queueDepth()).toBe(0);
    expect(consent.queueDepth()).toBe(0);
  });

  it('stop() rejects when the final write fails, and keeps the rows', async () => {
    const store = new FakeStore();
    const { findings, consent, flusher } = rig(store);
    flusher.start();
    findings.push(finding());
    consent.check(consentCheck());
    store.failures = 1;
    await expect(flusher.stop()).rejects.toThrow('connection refused');
    expect(flusher.heldRows()).toMatchObject({ findings: 1, checks: 1 });
    // The store is back: a later stop() writes what was kept.
    await flusher.stop();
    expect(store.units).toHaveLength(1);
    expect(store.findings()).toHaveLength(1);
  });

  it('the timer flushes once started', async () => {
    const store = new FakeStore();
    const flushed = new Deferred();
    const { findings, flusher } = rig(store, NO_CONSENT_STORE, {
      flushIntervalMs: 10,
      onFlush: () => flushed.resolve(),
    });
    findings.push(finding());
    flusher.start();
    await flushed.promise;
    expect(store.units).toHaveLength(1);
    expect(store.findings()[0]!.count).toBe(1);
    await flusher.stop();
    expect(store.units).toHaveLength(1);
  });

  it('the timer keeps going after a failed flush, and the next tick writes what was kept', async () => {
    const store = new FakeStore();
    let reported = 0;
    const second = new Deferred();
    const { findings, flusher, reports } = rig(store, NO_CONSENT_STORE, {
      flushIntervalMs: 10,
      onFlush: () => {
        reported += 1;
        if (reported === 2) second.resolve();
      },
    });
    findings.push(finding());
    store.failures = 1;
    flusher.start();
    await second.promise;
    await flusher.stop();
    expect(reports.map((r) => r.outcome)).toEqual(['failed', 'stored']);
    expect(store.findings()).toHaveLength(1);
  });
});

/** Forwards to the store; the next write fails (before reaching it) after failNext(), as a dropped connection would. */
function failingOnce(store: Store): Pick<Store, 'writeUnit'> & { failNext(): void } {
  let fail = false;
  return {
    failNext() {
      fail = true;
    },
    async writeUnit(unit: WriteUnit) {
      if (fail) {
        fail = false;
        throw new Error('connection terminated unexpectedly');
      }
      return store.writeUnit(unit);
    },
  };
}

async function checkCount(store: Store): Promise<number> {
  const counts = await store.consent.countChecks(DAY_FROM, DAY_TO);
  return counts.reduce((n, c) => n + c.n, 0);
}

describe.each(testStores())('StoreFlusher on $name', (target) => {
  afterAll(() => target.cleanup());

  it('stores a unit of findings, consent records, checks and event ids', async () => {
    const store = await target.open();
    const { findings, consent, flusher } = rig(store, store.consent);
    const ledger = new ConsentLedger(100, consent.backing);
    consent.attach(ledger);
    findings.push(finding({ attribute: '/a', event_id: 'ev-1' }));
    findings.push(finding({ attribute: '/b', event_id: 'ev-2' }));
    ledger.record(consentRecord({ record_id: 'rec-1', user_id: 'user-1' }));
    consent.check(consentCheck({ event_id: 'ev-1', user_id: 'user-1' }));
    consent.check(consentCheck({ event_id: 'ev-2', user_id: 'user-1', outcome: 'consent_missing' }));

    expect(await flusher.flush(['ev-1', 'ev-2'])).toBe('stored');

    const { items } = await store.queryFindings({ limit: 100 });
    expect(items.map((f) => f.attribute).sort()).toEqual(['/a', '/b']);
    expect((await store.consent.timeline('user-1')).map((r) => r.record_id)).toEqual(['rec-1']);
    expect(await checkCount(store)).toBe(2);
    expect((await store.consent.violationsOf('user-1')).map((c) => c.outcome)).toEqual(['consent_missing']);
    expect(await store.processedEvents(['ev-1', 'ev-2', 'ev-3'])).toEqual(new Set(['ev-1', 'ev-2']));
  });

  it('10 000 identical findings become one row with count 10 000', async () => {
    const store = await target.open();
    const { findings, flusher } = rig(store, store.consent);
    for (let i = 0; i < 10_000; i++) findings.push(finding({ event_id: `e-${i}` }));
    await flusher.stop();
    const { items } = await store.queryFindings({});
    expect(items).toHaveLength(1);
    expect(items[0]!.count).toBe(10_000);
    expect(items[0]!.sample_event_ids).toEqual(['e-0', 'e-1', 'e-2', 'e-3', 'e-4']);
  });

  it('adds to the same rows across flushes, and loses nothing when a write fails once', async () => {
    const real = await target.open();
    const store = failingOnce(real);
    const { findings, consent, flusher } = rig(store, real.consent);
    const round = (tag: string) => {
      for (let i = 0; i < 10; i++) findings.push(finding({ attribute: `/a${i}`, event_id: `${tag}-${i}` }));
      consent.check(consentCheck({ event_id: `ev-${tag}`, user_id: `user-${tag}` }));
    };

    round('e');
    expect(await flusher.flush(['ev-e'])).toBe('stored');
    round('f');
    store.failNext();
    await expect(flusher.flush(['ev-f'])).rejects.toThrow('connection terminated');
    expect(await real.processedEvents(['ev-f'])).toEqual(new Set());
    round('g');
    await flusher.flush(['ev-g']);
    await flusher.stop();

    const { items } = await real.queryFindings({ limit: 100 });
    expect(items).toHaveLength(10);
    for (const f of items) {
      const i = f.attribute!.slice(2);
      expect(f.count).toBe(3);
      expect(f.sample_event_ids).toEqual([`e-${i}`, `f-${i}`, `g-${i}`]);
    }
    expect(await checkCount(real)).toBe(3);
    expect(await real.processedEvents(['ev-e', 'ev-f', 'ev-g'])).toEqual(new Set(['ev-e', 'ev-f', 'ev-g']));
  });

  it('a unit written twice counts once', async () => {
    const store = await target.open();
    const findings = new FindingWriter();
    for (let i = 0; i < 3; i++) findings.push(finding({ event_id: `e-${i}` }));
    const unit: WriteUnit = {
      id: 'unit-1',
      findings: findings.take(),
      records: [consentRecord({ record_id: 'rec-9', user_id: 'user-9' })],
      checks: [consentCheck({ user_id: 'user-9', event_id: 'ev-9' })],
      eventIds: ['ev-9'],
    };
    findings.settle(true);
    const durable = new DurableWriter(store, { spool: null });
    expect(await durable.write(unit)).toBe('stored');
    expect(await durable.write(unit)).toBe('duplicate');
    expect(await store.writeUnit(structuredClone(unit))).toBe(false);

    const { items } = await store.queryFindings({});
    expect(items).toHaveLength(1);
    expect(items[0]!.count).toBe(3);
    expect(await store.consent.timeline('user-9')).toHaveLength(1);
    expect(await checkCount(store)).toBe(1);
    expect(await store.processedEvents(['ev-9'])).toEqual(new Set(['ev-9']));
  });
});
