import { describe, expect, it } from 'vitest';
import { FindingWriter } from './finding-writer.js';
import type { FindingAggregate } from './store.js';
import { testFinding as finding, T0 } from './test-findings.js';

/** Takes every pending aggregate as written: what one successful flush would store. */
function drain(writer: FindingWriter): FindingAggregate[] {
  const rows = writer.take();
  writer.settle(true);
  return rows;
}

function byAttribute(rows: FindingAggregate[], attribute: string): FindingAggregate {
  const row = rows.find((r) => r.attribute === attribute);
  if (!row) throw new Error(`no aggregate for ${attribute}`);
  return row;
}

describe('FindingWriter', () => {
  it('folds identical findings into one aggregate with their count', () => {
    const writer = new FindingWriter();
    for (let i = 0; i < 10_000; i++) writer.push(finding({ event_id: `e-${i}` }, T0 + 1000 + (i % 50_000)));
    expect(writer.queueDepth()).toBe(1);
    const rows = drain(writer);
    expect(writer.queueDepth()).toBe(0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      count: 10_000,
      window_start: '2025-03-01T10:00:00.000Z',
      first_seen: '2025-03-01T10:00:01.000Z',
      last_seen: '2025-03-01T10:00:10.999Z',
      sample_event_ids: ['e-0', 'e-1', 'e-2', 'e-3', 'e-4'],
    });
  });

  it('keeps one aggregate per dedup key: detector, kind, contract, version, attribute, window', () => {
    const writer = new FindingWriter({ windowMs: 60_000 });
    writer.push(finding());
    writer.push(finding({}, T0 + 59_999));
    writer.push(finding({}, T0 + 60_000));
    writer.push(finding({ detector: 'pii' }));
    writer.push(finding({ kind: 'type_mismatch' }));
    writer.push(finding({ contract: null }));
    writer.push(finding({ version: '2.0.0' }));
    writer.push(finding({ attribute: '/text' }));
    writer.push(finding({ attribute: null }));
    expect(writer.queueDepth()).toBe(8);
    const rows = drain(writer);
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => r.count).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 2]);
    expect(rows.filter((r) => r.window_start === '2025-03-01T10:01:00.000Z')).toHaveLength(1);
  });

  it('adds up counts the detectors report, keeps the worst severity and the newest message', () => {
    const writer = new FindingWriter();
    writer.push(finding({ count: 40, severity: 'warning', message: 'old' }, T0 + 1000));
    writer.push(finding({ count: 2, severity: 'critical', message: 'newer' }, T0 + 3000));
    writer.push(finding({ severity: 'info', message: 'late arrival, earlier time' }, T0 + 2000));
    const rows = drain(writer);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      count: 43,
      severity: 'critical',
      message: 'newer',
      first_seen: '2025-03-01T10:00:01.000Z',
      last_seen: '2025-03-01T10:00:03.000Z',
    });
  });

  it('uses occurred_at when detected_at is not a timestamp, and the clock when neither is', () => {
    const writer = new FindingWriter({ now: () => Date.UTC(2024, 5, 1, 12, 0, 45) });
    writer.push({ ...finding(), detected_at: 'garbage', occurred_at: '2024-01-01T00:00:30Z' });
    writer.push({ ...finding({ attribute: '/other' }), detected_at: 'garbage', occurred_at: null });
    const rows = drain(writer);
    expect(byAttribute(rows, '/sentiment').window_start).toBe('2024-01-01T00:00:00.000Z');
    expect(byAttribute(rows, '/other').window_start).toBe('2024-06-01T12:00:00.000Z');
  });

  it('beyond maxQueue drops findings for new keys, still counts repeats of queued ones', () => {
    const writer = new FindingWriter({ maxQueue: 3 });
    for (let i = 0; i < 5; i++) writer.push(finding({ attribute: `/a${i}` }));
    writer.push(finding({ attribute: '/a0' }));
    expect(writer.queueDepth()).toBe(3);
    expect(writer.dropped()).toBe(2);

    // Aggregates taken and not settled still fill the queue.
    const taken = writer.take();
    expect(byAttribute(taken, '/a0').count).toBe(2);
    writer.push(finding({ attribute: '/a8' }));
    expect(writer.dropped()).toBe(3);
    expect(writer.queueDepth()).toBe(3);

    writer.settle(true);
    writer.push(finding({ attribute: '/a9' }));
    expect(writer.queueDepth()).toBe(1);
    expect(writer.dropped()).toBe(3);
  });

  it('reports lag as the age of the oldest aggregate not written, taken or not', () => {
    let now = T0;
    const writer = new FindingWriter({ now: () => now });
    expect(writer.lagSeconds()).toBe(0);
    writer.push(finding({ attribute: '/a' }));
    now += 4000;
    writer.push(finding({ attribute: '/b' }));
    now += 1000;
    expect(writer.lagSeconds()).toBe(5);

    writer.take();
    expect(writer.lagSeconds()).toBe(5);
    writer.push(finding({ attribute: '/c' }));
    now += 1000;
    expect(writer.lagSeconds()).toBe(6);

    // A write that failed: its aggregates wait again, as old as they were.
    writer.settle(false);
    expect(writer.lagSeconds()).toBe(6);
    expect(writer.queueDepth()).toBe(3);

    writer.take();
    writer.settle(true);
    expect(writer.lagSeconds()).toBe(0);
    expect(writer.queueDepth()).toBe(0);

    writer.push(finding({ attribute: '/d' }));
    now += 2000;
    expect(writer.lagSeconds()).toBe(2);
  });

  it('settle(false) puts the taken aggregates back, merged with those pushed since', () => {
    const writer = new FindingWriter();
    for (let i = 0; i < 5; i++) writer.push(finding({ attribute: `/a${i}`, event_id: `e-${i}` }, T0 + 1000));
    writer.push(finding({ attribute: '/a0', event_id: 'e-0b', message: 'second' }, T0 + 2000));
    const taken = writer.take();
    expect(taken).toHaveLength(5);
    expect(writer.queueDepth()).toBe(5);

    writer.push(
      finding({ attribute: '/a0', event_id: 'e-new', severity: 'critical', message: 'newest' }, T0 + 3000),
    );
    writer.push(finding({ attribute: '/new', event_id: 'e-x' }, T0 + 3000));
    expect(writer.queueDepth()).toBe(7);
    writer.settle(false);
    expect(writer.queueDepth()).toBe(6);

    const rows = drain(writer);
    expect(rows).toHaveLength(6);
    // The aggregates put back come first, then the new keys.
    expect(rows.map((r) => r.attribute)).toEqual(['/a0', '/a1', '/a2', '/a3', '/a4', '/new']);
    expect(byAttribute(rows, '/a0')).toMatchObject({
      count: 3,
      severity: 'critical',
      message: 'newest',
      event_id: 'e-new',
      first_seen: '2025-03-01T10:00:01.000Z',
      last_seen: '2025-03-01T10:00:03.000Z',
      sample_event_ids: ['e-0', 'e-0b', 'e-new'],
    });
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(8);
    expect(writer.queueDepth()).toBe(0);
  });

  it('keeps samples oldest first, at most five, when merging back', () => {
    const writer = new FindingWriter();
    for (let i = 0; i < 3; i++) writer.push(finding({ event_id: `old-${i}` }, T0 + 1000 + i));
    writer.take();
    for (let i = 0; i < 4; i++) writer.push(finding({ event_id: `new-${i}` }, T0 + 2000 + i));
    writer.settle(false);
    const rows = drain(writer);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count).toBe(7);
    expect(rows[0]!.sample_event_ids).toEqual(['old-0', 'old-1', 'old-2', 'new-0', 'new-1']);
  });

  it('settle(true) forgets the taken aggregates; those pushed since stay', () => {
    const writer = new FindingWriter();
    writer.push(finding({ attribute: '/a' }));
    writer.take();
    writer.push(finding({ attribute: '/a' }));
    writer.settle(true);
    const rows = drain(writer);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count).toBe(1);
  });

  it('hands out copies: changing a taken aggregate changes nothing queued', () => {
    const writer = new FindingWriter();
    writer.push(finding({ event_id: 'e-1' }));
    const [row] = writer.take();
    row!.count = 99;
    row!.sample_event_ids.push('tampered');
    writer.settle(false);
    expect(drain(writer)[0]).toMatchObject({ count: 1, sample_event_ids: ['e-1'] });
  });

  it('take() twice without settle() throws; an empty take() needs no settle()', () => {
    const writer = new FindingWriter();
    expect(writer.take()).toEqual([]);
    expect(writer.take()).toEqual([]);
    writer.push(finding());
    writer.take();
    expect(() => writer.take()).toThrow(/settled/);
    writer.settle(true);
    expect(writer.take()).toEqual([]);
  });
});
