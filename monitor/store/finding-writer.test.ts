import { afterAll, describe, expect, it } from 'vitest';
import { type Finding, makeFinding } from '../findings/finding.js';
import { FindingWriter, type FlushStats } from './finding-writer.js';
import type { FindingAggregate, Store } from './store.js';
import { testStores } from './test-stores.js';

const T0 = Date.UTC(2025, 2, 1, 10, 0, 0);

function finding(over: Partial<Finding> = {}, atMs = T0 + 5_000): Finding {
  return makeFinding(
    {
      detector: 'schema',
      kind: 'missing_required',
      contract: 'conversation.message',
      version: '1.1.0',
      attribute: '/sentiment',
      message: 'required attribute /sentiment is missing',
      ...over,
    },
    new Date(atMs),
  );
}

/** Collects what the writer hands the store; fails the next `failures` writes. */
class FakeStore implements Pick<Store, 'writeFindings'> {
  writes: FindingAggregate[][] = [];
  failures = 0;
  error: Error & { code?: string } = new Error('connection refused');
  rejectEventId: string | undefined;

  async writeFindings(rows: FindingAggregate[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw this.error;
    }
    if (this.rejectEventId && rows.some((r) => r.event_id === this.rejectEventId)) {
      throw Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });
    }
    this.writes.push(rows.map((r) => structuredClone(r)));
  }

  rows(): FindingAggregate[] {
    return this.writes.flat();
  }
}

describe('FindingWriter', () => {
  it('folds identical findings into one aggregate with their count', async () => {
    const store = new FakeStore();
    const writer = new FindingWriter(store);
    for (let i = 0; i < 10_000; i++) writer.push(finding({ event_id: `e-${i}` }, T0 + 1000 + (i % 50_000)));
    expect(writer.queueDepth()).toBe(1);
    await writer.flush();
    expect(writer.queueDepth()).toBe(0);
    const rows = store.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      count: 10_000,
      window_start: '2025-03-01T10:00:00.000Z',
      first_seen: '2025-03-01T10:00:01.000Z',
      last_seen: '2025-03-01T10:00:10.999Z',
      sample_event_ids: ['e-0', 'e-1', 'e-2', 'e-3', 'e-4'],
    });
  });

  it('keeps one aggregate per dedup key: detector, kind, contract, version, attribute, window', async () => {
    const store = new FakeStore();
    const writer = new FindingWriter(store, { windowMs: 60_000 });
    writer.push(finding());
    writer.push(finding({}, T0 + 59_999));
    writer.push(finding({}, T0 + 60_000));
    writer.push(finding({ detector: 'pii' }));
    writer.push(finding({ kind: 'type_mismatch' }));
    writer.push(finding({ contract: null }));
    writer.push(finding({ version: '2.0.0' }));
    writer.push(finding({ attribute: '/text' }));
    writer.push(finding({ attribute: null }));
    await writer.flush();
    const rows = store.rows();
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => r.count).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 2]);
    expect(rows.filter((r) => r.window_start === '2025-03-01T10:01:00.000Z')).toHaveLength(1);
  });

  it('adds up counts the detectors report, keeps the worst severity and the newest message', async () => {
    const store = new FakeStore();
    const writer = new FindingWriter(store);
    writer.push(finding({ count: 40, severity: 'warning', message: 'old' }, T0 + 1000));
    writer.push(finding({ count: 2, severity: 'critical', message: 'newer' }, T0 + 3000));
    writer.push(finding({ severity: 'info', message: 'late arrival, earlier time' }, T0 + 2000));
    await writer.flush();
    expect(store.rows()[0]).toMatchObject({ count: 43, severity: 'critical', message: 'newer' });
  });

  it('uses occurred_at when detected_at is not a timestamp', async () => {
    const store = new FakeStore();
    const writer = new FindingWriter(store);
    writer.push({ ...finding(), detected_at: 'garbage', occurred_at: '2024-01-01T00:00:30Z' });
    await writer.flush();
    expect(store.rows()[0]!.window_start).toBe('2024-01-01T00:00:00.000Z');
  });

  it('writes in batches of maxBatch', async () => {
    const store = new FakeStore();
    const stats: FlushStats[] = [];
    const writer = new FindingWriter(store, { maxBatch: 4, onFlush: (s) => stats.push(s) });
    for (let i = 0; i < 10; i++) writer.push(finding({ attribute: `/a${i}` }));
    await writer.flush();
    expect(store.writes.map((w) => w.length)).toEqual([4, 4, 2]);
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ written: 10, findings: 10, retained: 0, rejected: 0 });
  });

  it('keeps the aggregates when a write fails and writes them, merged with newer ones, next time', async () => {
    const store = new FakeStore();
    const stats: FlushStats[] = [];
    const writer = new FindingWriter(store, { maxBatch: 2, onFlush: (s) => stats.push(s) });
    for (let i = 0; i < 5; i++) writer.push(finding({ attribute: `/a${i}`, event_id: `e-${i}` }));
    store.failures = 1;
    await expect(writer.flush()).rejects.toThrow('connection refused');
    expect(writer.queueDepth()).toBe(5);
    expect(stats[0]).toMatchObject({ written: 0, retained: 5 });
    expect(stats[0]!.error?.message).toBe('connection refused');

    writer.push(finding({ attribute: '/a0', event_id: 'e-new' }));
    writer.push(finding({ attribute: '/new' }));
    await writer.flush();
    expect(writer.queueDepth()).toBe(0);
    const rows = store.rows();
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.attribute === '/a0')).toMatchObject({
      count: 2,
      sample_event_ids: ['e-0', 'e-new'],
    });
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(7);
  });

  it('after a failure midway, writes only what was not written before', async () => {
    const store = new FakeStore();
    const writer = new FindingWriter(store, { maxBatch: 2 });
    for (let i = 0; i < 6; i++) writer.push(finding({ attribute: `/a${i}` }));
    const original = store.writeFindings.bind(store);
    let calls = 0;
    store.writeFindings = async (rows) => {
      calls += 1;
      if (calls === 2) throw new Error('connection reset');
      return original(rows);
    };
    await expect(writer.flush()).rejects.toThrow('connection reset');
    expect(writer.queueDepth()).toBe(4);
    await writer.flush();
    const attributes = store.rows().map((r) => r.attribute);
    expect(attributes.sort()).toEqual(['/a0', '/a1', '/a2', '/a3', '/a4', '/a5']);
  });

  it('drops only the rows the database refuses as data, and counts them', async () => {
    const store = new FakeStore();
    const stats: FlushStats[] = [];
    const writer = new FindingWriter(store, { onFlush: (s) => stats.push(s) });
    for (let i = 0; i < 4; i++) writer.push(finding({ attribute: `/a${i}`, event_id: `e-${i}` }));
    store.rejectEventId = 'e-2';
    await writer.flush();
    expect(store.rows().map((r) => r.attribute)).toEqual(['/a0', '/a1', '/a3']);
    expect(writer.dropped()).toBe(1);
    expect(writer.queueDepth()).toBe(0);
    expect(stats[0]).toMatchObject({ written: 3, rejected: 1 });
  });

  it('beyond maxQueue drops findings for new keys, still counts repeats of queued ones', async () => {
    const store = new FakeStore();
    const writer = new FindingWriter(store, { maxQueue: 3 });
    for (let i = 0; i < 5; i++) writer.push(finding({ attribute: `/a${i}` }));
    writer.push(finding({ attribute: '/a0' }));
    expect(writer.queueDepth()).toBe(3);
    expect(writer.dropped()).toBe(2);
    await writer.flush();
    expect(store.rows().find((r) => r.attribute === '/a0')!.count).toBe(2);
    writer.push(finding({ attribute: '/a9' }));
    expect(writer.queueDepth()).toBe(1);
  });

  it('reports lag as the age of the oldest aggregate not written', async () => {
    let now = T0;
    const store = new FakeStore();
    const writer = new FindingWriter(store, { now: () => now });
    expect(writer.lagSeconds()).toBe(0);
    writer.push(finding({ attribute: '/a' }));
    now += 4000;
    writer.push(finding({ attribute: '/b' }));
    now += 1000;
    expect(writer.lagSeconds()).toBe(5);
    store.failures = 1;
    await writer.flush().catch(() => {});
    expect(writer.lagSeconds()).toBe(5);
    await writer.flush();
    expect(writer.lagSeconds()).toBe(0);
  });

  it('flushes run one after the other; a flush covers every push made before it', async () => {
    const store = new FakeStore();
    const writer = new FindingWriter(store);
    writer.push(finding({ attribute: '/a' }));
    const first = writer.flush();
    writer.push(finding({ attribute: '/b' }));
    await Promise.all([first, writer.flush()]);
    expect(store.rows().map((r) => r.attribute)).toEqual(['/a', '/b']);
  });

  it('stop() flushes, is safe before start() and twice', async () => {
    const store = new FakeStore();
    const idle = new FindingWriter(store);
    await idle.stop();
    await idle.stop();

    const writer = new FindingWriter(store, { flushIntervalMs: 60_000 });
    writer.start();
    writer.start();
    writer.push(finding());
    await writer.stop();
    await writer.stop();
    expect(store.rows()).toHaveLength(1);
    expect(writer.queueDepth()).toBe(0);
  });

  it('stop() rejects when the final write fails, and keeps the aggregates', async () => {
    const store = new FakeStore();
    const writer = new FindingWriter(store);
    writer.push(finding());
    store.failures = 1;
    await expect(writer.stop()).rejects.toThrow('connection refused');
    expect(writer.queueDepth()).toBe(1);
  });

  it('the timer flushes once started', async () => {
    const store = new FakeStore();
    let resolveFlush: () => void = () => {};
    const flushed = new Promise<void>((r) => {
      resolveFlush = r;
    });
    const writer = new FindingWriter(store, { flushIntervalMs: 10, onFlush: () => resolveFlush() });
    writer.start();
    writer.push(finding());
    await flushed;
    expect(store.rows()).toHaveLength(1);
    await writer.stop();
  });
});

/** Wraps a store so that its next write throws, as a dropped connection would. */
function failingOnce(store: Store): Store & { failNext(): void } {
  let fail = false;
  return Object.assign(Object.create(store) as Store, {
    failNext() {
      fail = true;
    },
    async writeFindings(rows: FindingAggregate[]) {
      if (fail) {
        fail = false;
        throw new Error('connection terminated unexpectedly');
      }
      return store.writeFindings(rows);
    },
  });
}

describe.each(testStores())('FindingWriter on $name', (target) => {
  afterAll(() => target.cleanup());

  it('10 000 identical findings become one row with count 10 000', async () => {
    const store = await target.open();
    const writer = new FindingWriter(store, { maxBatch: 100 });
    for (let i = 0; i < 10_000; i++) writer.push(finding({ event_id: `e-${i}` }));
    await writer.stop();
    const { items } = await store.queryFindings({});
    expect(items).toHaveLength(1);
    expect(items[0]!.count).toBe(10_000);
    expect(items[0]!.sample_event_ids).toEqual(['e-0', 'e-1', 'e-2', 'e-3', 'e-4']);
  });

  it('adds to the same row across flushes, and loses nothing when a write fails once', async () => {
    const store = failingOnce(await target.open());
    const writer = new FindingWriter(store, { maxBatch: 3 });
    for (let i = 0; i < 10; i++) writer.push(finding({ attribute: `/a${i}`, event_id: `e-${i}` }));
    await writer.flush();

    for (let i = 0; i < 10; i++) writer.push(finding({ attribute: `/a${i}`, event_id: `f-${i}` }));
    store.failNext();
    await expect(writer.flush()).rejects.toThrow('connection terminated');
    for (let i = 0; i < 10; i++) writer.push(finding({ attribute: `/a${i}`, event_id: `g-${i}` }));
    await writer.stop();

    const { items } = await store.queryFindings({ limit: 100 });
    expect(items).toHaveLength(10);
    for (const f of items) {
      const i = f.attribute!.slice(2);
      expect(f.count).toBe(3);
      expect(f.sample_event_ids).toEqual([`e-${i}`, `f-${i}`, `g-${i}`]);
    }
  });
});
