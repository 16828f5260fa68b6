import { describe, expect, it } from 'vitest';
import { VectorReservoir } from '../stats/embedding/reservoir.js';
import { seededRandom } from '../stats/seeded-random.js';
import { mergeSamples, sampleOf, type UniformSample } from './merge-reservoirs.js';

/** The sample of a one-dimensional reservoir that saw items from..to-1 (each vector holds its item number). */
function reservoir(from: number, to: number, capacity: number, seed: number): UniformSample {
  const r = new VectorReservoir(1, capacity, seed);
  for (let i = from; i < to; i++) r.add([i]);
  return sampleOf(r);
}

const items = (s: UniformSample) => s.vectors.map((v) => v[0]!);

describe('mergeSamples', () => {
  it('keeps everything when the parts saw no more than the capacity, in a buffer of its own', () => {
    const merged = mergeSamples([reservoir(0, 3, 8, 1), reservoir(3, 5, 8, 2)], 8, seededRandom(3));
    expect(items(merged).sort()).toEqual([0, 1, 2, 3, 4]);
    const buffers = new Set(merged.vectors.map((v) => v.buffer));
    expect(buffers.size).toBe(1);
    expect([merged.seen, merged.vectors.length]).toEqual([5, 5]);
  });

  it('draws every subset of the union equally often, whatever part its items came from', () => {
    // 4 items seen by a reservoir of 3 and 2 by another; a merged sample of 3
    // out of 6 is one of 20 subsets, each with probability 1/20.
    const trials = 20_000;
    const counts = new Map<string, number>();
    const random = seededRandom(11);
    for (let t = 0; t < trials; t++) {
      const a = reservoir(0, 4, 3, 2 * t);
      const b = reservoir(4, 6, 3, 2 * t + 1);
      const key = items(mergeSamples([a, b], 3, random))
        .sort()
        .join();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(20);
    const expected = trials / 20;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    // Chi-square with 19 degrees of freedom: 43.8 is its 99.9% quantile.
    expect(chi2).toBeLessThan(43.8);
  });

  it('stays uniform over merges of merges, as windows fold in sub-windows one at a time', () => {
    // Parts of very different sizes (30, 5 and 65 items) merged in a chain into 10:
    // each of the 100 items should be kept with probability 1/10.
    const trials = 4000;
    const kept = new Array<number>(100).fill(0);
    const random = seededRandom(5);
    for (let t = 0; t < trials; t++) {
      const first = mergeSamples([reservoir(0, 30, 10, 3 * t)], 10, random);
      const second = mergeSamples([first, reservoir(30, 35, 10, 3 * t + 1)], 10, random);
      const third = mergeSamples([second, reservoir(35, 100, 10, 3 * t + 2)], 10, random);
      expect([third.seen, third.vectors.length]).toEqual([100, 10]);
      for (const i of items(third)) kept[i]!++;
    }
    // Each count is Binomial(4000, 0.1): mean 400, sd 19.
    for (const k of kept) expect(Math.abs(k - 400)).toBeLessThan(5 * 19);
    const share = (from: number, to: number) =>
      kept.slice(from, to).reduce((s, k) => s + k, 0) / ((to - from) * trials);
    expect(share(0, 30)).toBeCloseTo(0.1, 2);
    expect(share(30, 35)).toBeCloseTo(0.1, 2);
    expect(share(35, 100)).toBeCloseTo(0.1, 2);
  });

  it('refuses a part that kept fewer vectors than the merged sample may need from it', () => {
    expect(() => mergeSamples([reservoir(0, 50, 5, 1)], 10, seededRandom(1))).toThrow(/kept 5/);
    expect(() =>
      mergeSamples([reservoir(0, 3, 5, 1), sampleOf(new VectorReservoir(2, 5, 1))], 5, seededRandom(1)),
    ).toThrow(/dimensions/);
  });
});
