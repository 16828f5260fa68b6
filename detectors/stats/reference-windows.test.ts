import { describe, expect, it } from 'vitest';
import { type Mergeable, ReferenceWindows } from './reference-windows.js';

/** A count and a sum: the simplest mergeable statistics. */
interface Tally {
  n: number;
  sum: number;
}
const tally: Mergeable<Tally> = {
  empty: () => ({ n: 0, sum: 0 }),
  merge: (into, from) => {
    into.n += from.n;
    into.sum += from.sum;
    return into;
  },
  toJSON: (t) => ({ ...t }),
  fromJSON: (d) => ({ ...(d as Tally) }),
};

const MIN = 60_000;
const HOUR = 60 * MIN;
const WEEK = 7 * 24 * HOUR;

function add(w: ReferenceWindows<Tally>, ms: number, value = 1): void {
  const b = w.at(ms);
  if (b) {
    b.n++;
    b.sum += value;
  }
}

describe('ReferenceWindows', () => {
  it('compares the current window with the previous one', () => {
    const w = new ReferenceWindows(tally, { subMs: MIN, count: 10, reference: 'previous_window' });
    for (let m = 0; m < 20; m++) add(w, m * MIN + 1, m < 10 ? 1 : 5);
    const now = 19 * MIN + 30_000;
    expect(w.current(now)).toEqual({ stats: { n: 10, sum: 50 }, fromMs: 10 * MIN, toMs: 20 * MIN });
    expect(w.reference(now)).toEqual({ stats: { n: 10, sum: 10 }, fromMs: 0, toMs: 10 * MIN });
    // Sub-windows older than two windows slide out; the reference slides with the window.
    add(w, 25 * MIN);
    expect(w.reference(25 * MIN)).toEqual({ stats: { n: 10, sum: 34 }, fromMs: 6 * MIN, toMs: 16 * MIN });
    expect(w.at(5 * MIN)).toBeUndefined();
  });

  it('freezes a baseline of the first window by default, which later traffic does not move', () => {
    const w = new ReferenceWindows(tally, { subMs: MIN, count: 5, reference: 'baseline' });
    for (let m = 0; m < 5; m++) add(w, m * MIN, 2);
    expect(w.reference(4 * MIN)).toBeNull();
    for (let m = 5; m < 30; m++) add(w, m * MIN, 9);
    const ref = w.reference(29 * MIN)!;
    expect(ref).toEqual({ stats: { n: 5, sum: 10 }, fromMs: 0, toMs: 5 * MIN });
    add(w, 29 * MIN, 100);
    expect(w.reference(29 * MIN)!.stats).toEqual({ n: 5, sum: 10 });
  });

  it('takes a configured baseline period, even one longer than the window', () => {
    const w = new ReferenceWindows(tally, {
      subMs: MIN,
      count: 2,
      reference: 'baseline',
      baseline: { fromMs: 10 * MIN, toMs: 20 * MIN },
    });
    for (let m = 0; m < 40; m++) add(w, m * MIN);
    expect(w.reference(40 * MIN)!.stats.n).toBe(10);
  });

  it('compares with the same hours a week earlier', () => {
    const w = new ReferenceWindows(tally, { subMs: MIN, count: 60, reference: 'same_hour_last_week' });
    for (let m = 0; m < 120; m++) add(w, m * MIN, 3);
    for (let m = 0; m < 60; m++) add(w, WEEK + HOUR + m * MIN, 7);
    const now = WEEK + 2 * HOUR - 1;
    expect(w.current(now).stats).toEqual({ n: 60, sum: 420 });
    expect(w.reference(now)).toEqual({ stats: { n: 60, sum: 180 }, fromMs: HOUR, toMs: 2 * HOUR });
    // Nothing a week before the first hour: no reference.
    expect(w.reference(HOUR - 1 + WEEK - 5 * HOUR)).toBeNull();
  });

  it('carries on after a restart from its snapshot', () => {
    const options = { subMs: MIN, count: 5, reference: 'baseline' as const };
    const w = new ReferenceWindows(tally, options);
    for (let m = 0; m < 8; m++) add(w, m * MIN, m);
    const restored = new ReferenceWindows(tally, options);
    restored.restore(JSON.parse(JSON.stringify(w.snapshot())));
    expect(restored.current(7 * MIN)).toEqual(w.current(7 * MIN));
    expect(restored.reference(7 * MIN)).toEqual(w.reference(7 * MIN));
    add(restored, 8 * MIN, 1);
    expect(restored.current(8 * MIN).stats.n).toBe(5);
  });

  it('ignores events older than the sub-windows it keeps', () => {
    const w = new ReferenceWindows(tally, { subMs: MIN, count: 3, reference: 'previous_window' });
    add(w, 100 * MIN);
    expect(w.at(90 * MIN)).toBeUndefined();
    expect(w.at(95 * MIN)).toBeDefined();
  });
});
