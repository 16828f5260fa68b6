import { describe, expect, it } from 'vitest';
import { VectorReservoir } from './reservoir.js';

describe('VectorReservoir', () => {
  it('keeps every vector until full, then stays at capacity', () => {
    const r = new VectorReservoir(3, 4, 1);
    for (let i = 0; i < 4; i++) r.add([i, i + 0.5, -i]);
    expect(r.size).toBe(4);
    expect(r.seen).toBe(4);
    expect(r.vectors().map((v) => Array.from(v))).toEqual([
      [0, 0.5, -0],
      [1, 1.5, -1],
      [2, 2.5, -2],
      [3, 3.5, -3],
    ]);
    for (let i = 4; i < 100; i++) r.add([i, i + 0.5, -i]);
    expect(r.size).toBe(4);
    expect(r.seen).toBe(100);
    for (const v of r.vectors()) expect(v[1]).toBe(v[0]! + 0.5);
  });

  it('keeps each of 1000 items with probability capacity / 1000 over 2000 seeds', () => {
    const items = 1000;
    const capacity = 100;
    const seeds = 2000;
    const kept = new Array<number>(items).fill(0);
    for (let seed = 0; seed < seeds; seed++) {
      const r = new VectorReservoir(1, capacity, seed);
      for (let i = 0; i < items; i++) r.add([i]);
      for (const v of r.vectors()) kept[v[0]!]!++;
    }
    // Each count is Binomial(2000, 0.1): mean 200, sd 13.4.
    const p = capacity / items;
    const mean = seeds * p;
    const sd = Math.sqrt(seeds * p * (1 - p));
    for (const k of kept) expect(Math.abs(k - mean)).toBeLessThan(5 * sd);
    // The sum of squared z-scores is about chi-square with 1000 degrees of
    // freedom (sd 45): far from 1000 would mean the spread is wrong.
    const chi2 = kept.reduce((s, k) => s + ((k - mean) / sd) ** 2, 0);
    expect(chi2).toBeGreaterThan(850);
    expect(chi2).toBeLessThan(1150);
    // Neither the first items (kept at first) nor the last are favoured.
    const share = (from: number, to: number) =>
      kept.slice(from, to).reduce((s, k) => s + k, 0) / ((to - from) * seeds);
    expect(share(0, 100)).toBeCloseTo(p, 2);
    expect(share(900, 1000)).toBeCloseTo(p, 2);
  });

  it('round-trips a snapshot through JSON and goes on sampling', () => {
    const r = new VectorReservoir(4, 10, 7);
    for (let i = 0; i < 57; i++) r.add([i, Math.PI * i, 1 / (i + 1), -i * 1e-300]);
    const snapshot = JSON.parse(JSON.stringify(r));
    const back = VectorReservoir.fromJSON(snapshot, 8);
    expect(back.dims).toBe(4);
    expect(back.capacity).toBe(10);
    expect(back.seen).toBe(57);
    expect(back.size).toBe(10);
    expect(back.vectors()).toEqual(r.vectors());
    for (let i = 57; i < 200; i++) back.add([i, Math.PI * i, 1 / (i + 1), -i * 1e-300]);
    expect(back.seen).toBe(200);
    expect(back.size).toBe(10);

    const partial = new VectorReservoir(2, 10, 0);
    partial.add([1, 2]);
    expect(
      VectorReservoir.fromJSON(partial.toJSON(), 0)
        .vectors()
        .map((v) => Array.from(v)),
    ).toEqual([[1, 2]]);
  });

  it('refuses inconsistent snapshots and malformed vectors', () => {
    const snapshot = { dims: 2, capacity: 3, seen: 5, vectors: [[1, 2]] };
    expect(() => VectorReservoir.fromJSON(snapshot, 0)).toThrow(RangeError);
    expect(() => VectorReservoir.fromJSON({ ...snapshot, seen: 1, vectors: [[1]] }, 0)).toThrow(RangeError);
    const r = new VectorReservoir(2, 3, 0);
    expect(() => r.add([1])).toThrow(RangeError);
    expect(() => r.add([1, Number.NaN])).toThrow(RangeError);
    expect(r.seen).toBe(0);
    expect(() => new VectorReservoir(0, 3, 0)).toThrow(RangeError);
    expect(() => new VectorReservoir(2, 0, 0)).toThrow(RangeError);
  });

  it('hands out vectors that later adds do not change', () => {
    const r = new VectorReservoir(1, 1, 0);
    r.add([1]);
    const before = r.vectors();
    for (let i = 2; i < 50; i++) r.add([i]);
    expect(r.vectors()[0]![0]).not.toBe(1);
    expect(before[0]![0]).toBe(1);
  });
});
