import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFinding } from '../../findings/finding.js';
import type { FindingAggregate, Store } from '../store.js';
import { testStores } from '../test-stores.js';
import type { WriteUnit } from '../write-unit.js';
import { DurableWriter } from './durable-writer.js';
import { Spool } from './spool.js';
import { SpoolFullError } from './spool-full-error.js';

const WINDOW = '2025-03-01T10:00:00.000Z';

function aggregate(attribute: string, eventId: string): FindingAggregate {
  const f = makeFinding(
    {
      detector: 'schema',
      kind: 'missing_required',
      contract: 'conversation.message',
      version: '1.1.0',
      attribute,
      message: `required attribute ${attribute} is missing`,
      event_id: eventId,
    },
    new Date('2025-03-01T10:00:05.000Z'),
  );
  return {
    ...f,
    window_start: WINDOW,
    first_seen: f.detected_at,
    last_seen: f.detected_at,
    sample_event_ids: [eventId],
  };
}

function unit(n: number, attributes = ['/a', '/b']): WriteUnit {
  return {
    id: `unit-${n}`,
    findings: attributes.map((a) => aggregate(a, `e-${n}`)),
    records: [],
    checks: [],
    eventIds: [`e-${n}`],
  };
}

/** The store with a switch: while down, every unit write fails as an unreachable database would. */
function breakable(store: Store): Pick<Store, 'writeUnit'> & { down: boolean } {
  const b = {
    down: false,
    writeUnit: (u: WriteUnit) =>
      b.down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : store.writeUnit(u),
  };
  return b;
}

async function counts(store: Store): Promise<Record<string, number>> {
  const { items } = await store.queryFindings({ limit: 1000 });
  return Object.fromEntries(items.map((f) => [f.attribute!, f.count]));
}

describe.each(testStores())('DurableWriter on $name', (target) => {
  let dir: string;
  const spools: Spool[] = [];
  const writers: DurableWriter[] = [];
  const openSpool = async (maxBytes = 1 << 20) => {
    const s = await Spool.open(dir, { maxBytes });
    spools.push(s);
    return s;
  };
  const writer = (store: Pick<Store, 'writeUnit'>, spool: Spool | null) => {
    const w = new DurableWriter(store, { spool, retryMs: 10, maxRetryMs: 50 });
    writers.push(w);
    return w;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-durable-'));
  });
  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.stop()));
    await Promise.all(spools.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });
  afterAll(() => target.cleanup());

  it('forgets unit and event ids past their keep, and keeps the recent ones', async () => {
    const store = await target.open();
    await store.writeUnit(unit(1));
    expect(await store.pruneWriteLog({ unitHours: 1, eventMinutes: 1 })).toBe(0);
    expect(await store.writeUnit(unit(1))).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.pruneWriteLog({ unitHours: 0, eventMinutes: 0 })).toBe(2);
    expect((await store.processedEvents(['e-1'])).size).toBe(0);
  });

  it('stores directly while the store answers, and a unit written twice counts once', async () => {
    const store = await target.open();
    const w = writer(store, await openSpool());
    expect(await w.write(unit(1))).toBe('stored');
    expect(await w.write(unit(1))).toBe('duplicate');
    expect(await counts(store)).toEqual({ '/a': 1, '/b': 1 });
    expect([...(await store.processedEvents(['e-1', 'e-2']))]).toEqual(['e-1']);
  });

  it('spools while the store is down, keeps order behind the spool, and replays every unit exactly once', async () => {
    const real = await target.open();
    const store = breakable(real);
    const spool = await openSpool();
    const w = writer(store, spool);
    expect(await w.write(unit(1))).toBe('stored');
    store.down = true;
    for (let i = 2; i <= 6; i++) expect(await w.write(unit(i))).toBe('spooled');
    expect(spool.stats().units).toBeGreaterThanOrEqual(1);
    store.down = false;
    // Still spooled: it must land after the units before it.
    expect(await w.write(unit(7))).toBe('spooled');
    expect(await w.drained(10_000)).toBe(true);
    expect(await counts(real)).toEqual({ '/a': 7, '/b': 7 });
    expect(w.counts()).toEqual({ spooled: 6, replayed: 6 });
    expect((await real.processedEvents(['e-1', 'e-4', 'e-7'])).size).toBe(3);
    // Back to direct writes once the spool is empty.
    expect(await w.write(unit(8))).toBe('stored');
  });

  it('a spool replayed again after a crash (its position lost) changes nothing', async () => {
    const real = await target.open();
    const store = breakable(real);
    store.down = true;
    const first = writer(store, await openSpool());
    for (let i = 1; i <= 3; i++) await first.write(unit(i));
    await first.stop();
    await spools.pop()!.close();
    // The process dies after the replay's commits but before the spool moves on: simulated by
    // replaying, then putting the same units back.
    const again = await openSpool();
    store.down = false;
    const second = writer(store, again);
    second.start();
    expect(await second.drained(10_000)).toBe(true);
    for (let i = 1; i <= 3; i++) await again.append(unit(i));
    second.start();
    expect(await second.drained(10_000)).toBe(true);
    expect(await counts(real)).toEqual({ '/a': 3, '/b': 3 });
  });

  it('without a spool, or with a full one, a failed write rejects so the caller keeps the rows', async () => {
    const store = breakable(await target.open());
    store.down = true;
    await expect(writer(store, null).write(unit(1))).rejects.toThrow('ECONNREFUSED');
    const full = writer(store, await openSpool(65_536));
    const big = unit(
      2,
      Array.from({ length: 400 }, (_, i) => `/attribute-${i}`),
    );
    await expect(full.write(big)).rejects.toBeInstanceOf(SpoolFullError);
  });

  it('drops only the rows the database refuses as data, when writing directly and when replaying', async () => {
    const real = await target.open();
    const bad: Pick<Store, 'writeUnit'> & { down: boolean } = {
      down: false,
      writeUnit: async (u) => {
        if (bad.down) throw new Error('connection terminated unexpectedly');
        if (u.findings.some((f) => f.attribute === '/refused')) {
          throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
        }
        return real.writeUnit(u);
      },
    };
    const w = writer(bad, await openSpool());
    expect(await w.write(unit(1, ['/a', '/refused', '/b']))).toBe('stored');
    bad.down = true;
    expect(await w.write(unit(2, ['/a', '/refused', '/b']))).toBe('spooled');
    bad.down = false;
    expect(await w.drained(10_000)).toBe(true);
    expect(await counts(real)).toEqual({ '/a': 2, '/b': 2 });
    expect(w.dropped()).toEqual({ findings: 2, records: 0, checks: 0 });
    expect((await real.processedEvents(['e-1', 'e-2'])).size).toBe(2);
  });

  it('spools a write the store does not answer in time, and the late commit is not counted twice', async () => {
    const real = await target.open();
    let hold: (() => void) | null = null;
    const slow: Pick<Store, 'writeUnit'> & { hang: boolean } = {
      hang: true,
      writeUnit: async (u) => {
        if (slow.hang) {
          slow.hang = false;
          // Commits, but answers only after the writer gave up on it.
          const applied = await real.writeUnit(u);
          await new Promise<void>((r) => (hold = r));
          return applied;
        }
        return real.writeUnit(u);
      },
    };
    const w = new DurableWriter(slow, {
      spool: await openSpool(),
      retryMs: 10,
      maxRetryMs: 50,
      writeTimeoutMs: 100,
    });
    writers.push(w);
    expect(await w.write(unit(1))).toBe('spooled');
    expect(await w.drained(10_000)).toBe(true);
    (hold as (() => void) | null)?.();
    expect(await counts(real)).toEqual({ '/a': 1, '/b': 1 });
  });
});
