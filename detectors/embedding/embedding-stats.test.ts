import { describe, expect, it } from 'vitest';
import { VectorReservoir } from '../stats/embedding/reservoir.js';
import { seededRandom } from '../stats/seeded-random.js';
import { addVector, embeddingStatsOps, mixSeed, seedAfterDraws, windowSample } from './embedding-stats.js';

describe('embedding sub-window statistics', () => {
  it('grows a sample while it holds everything, then keeps each vector with probability capacity / seen', () => {
    const ops = embeddingStatsOps({ dims: 1, capacity: 40, seed: 1 });
    const s = ops.empty();
    for (let i = 0; i < 30; i++) addVector(s, [i], 40, 7);
    // 16, then 32: every vector so far, in a reservoir no larger than needed.
    const live = s.sample as VectorReservoir;
    expect(live).toBeInstanceOf(VectorReservoir);
    expect([live.size, live.capacity]).toEqual([30, 32]);
    expect(live.vectors().map((v) => v[0])).toEqual(Array.from({ length: 30 }, (_, i) => i));

    const seeds = 2000;
    const kept = new Array<number>(100).fill(0);
    for (let seed = 0; seed < seeds; seed++) {
      const t = ops.empty();
      for (let i = 0; i < 100; i++) addVector(t, [i], 40, seed);
      const sample = windowSample(t)!;
      expect([sample.vectors.length, sample.seen, t.mean.count]).toEqual([40, 100, 100]);
      for (const v of sample.vectors) kept[v[0]!]!++;
    }
    // Each count is Binomial(2000, 0.4): mean 800, sd 21.9; the vectors seen while it grew are not favoured.
    for (const k of kept) expect(Math.abs(k - 800)).toBeLessThan(5 * 21.9);
    const share = (from: number, to: number) =>
      kept.slice(from, to).reduce((a, k) => a + k, 0) / ((to - from) * seeds);
    expect(share(0, 32)).toBeCloseTo(0.4, 2);
    expect(share(32, 100)).toBeCloseTo(0.4, 2);
  });

  it('merges into a new sample, so a live sub-window merged into a window is not shared with it', () => {
    const ops = embeddingStatsOps({ dims: 2, capacity: 10, seed: 1 });
    const live = ops.empty();
    for (let i = 0; i < 5; i++) addVector(live, [i, -i], 10, 3);
    const window = ops.merge(ops.empty(), live);
    addVector(live, [9, 9], 10, 3);
    const sample = windowSample(window)!;
    expect([sample.seen, sample.vectors.length, window.mean.count]).toEqual([5, 5, 5]);
    expect(sample.vectors.map((v) => v[0]).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => addVector(window, [1, 1], 10, 3)).toThrow(/read, not added to/);
    expect(Array.from(window.mean.mean())).toEqual([2, -2]);
    expect(ops.merge(ops.empty(), ops.empty()).sample).toBeNull();
  });

  it('round-trips through plain data', () => {
    const ops = embeddingStatsOps({ dims: 3, capacity: 4, seed: 1 });
    const s = ops.empty();
    for (let i = 0; i < 9; i++) addVector(s, [i, i / 2, 1], 4, 5);
    const merged = ops.merge(ops.empty(), s);
    for (const stats of [s, merged]) {
      const back = ops.fromJSON(JSON.parse(JSON.stringify(ops.toJSON(stats))));
      expect(ops.toJSON(back)).toEqual(ops.toJSON(stats));
    }
    expect(ops.fromJSON(JSON.parse(JSON.stringify(ops.toJSON(ops.empty())))).sample).toBeNull();
  });

  it('restores a live sample that goes on replacing the same vectors as one never snapshotted', () => {
    const ops = embeddingStatsOps({ dims: 2, capacity: 8, seed: 1 });
    const a = ops.empty();
    // 8 kept, then 12 replacement draws: the restored source must skip exactly those.
    for (let i = 0; i < 20; i++) addVector(a, [i, -i], 8, 11);
    const b = ops.fromJSON(JSON.parse(JSON.stringify(ops.toJSON(a))));
    expect(b.sample).toBeInstanceOf(VectorReservoir);
    for (let i = 20; i < 200; i++) {
      addVector(a, [i, -i], 8, 11);
      addVector(b, [i, -i], 8, 11);
    }
    expect(ops.toJSON(b)).toEqual(ops.toJSON(a));
    expect(windowSample(b)!.vectors.map((v) => v[0])).toEqual(windowSample(a)!.vectors.map((v) => v[0]));
  });

  it('skips a seeded source ahead by its draws', () => {
    for (const [seed, draws] of [
      [0, 0],
      [7, 1],
      [4_294_967_295, 12_345],
    ] as const) {
      const long = seededRandom(seed);
      for (let i = 0; i < draws; i++) long();
      const skipped = seededRandom(seedAfterDraws(seed, draws));
      for (let i = 0; i < 5; i++) expect(skipped()).toBe(long());
    }
    // The state is 32 bits: 2^32 draws bring it back.
    expect(seedAfterDraws(123, 2 ** 32 + 5)).toBe(seedAfterDraws(123, 5));
  });

  it('refuses plain data that does not fit the shape', () => {
    const ops = embeddingStatsOps({ dims: 2, capacity: 4, seed: 1 });
    const s = ops.empty();
    for (let i = 0; i < 6; i++) addVector(s, [i, 1], 4, 5);
    const json = () => JSON.parse(JSON.stringify(ops.toJSON(s)));
    expect(() => embeddingStatsOps({ dims: 3, capacity: 4, seed: 1 }).fromJSON(json())).toThrow(RangeError);
    expect(() => embeddingStatsOps({ dims: 2, capacity: 2, seed: 1 }).fromJSON(json())).toThrow(RangeError);
    expect(() => ops.fromJSON({ ...json(), sample: { ...json().sample, seen: 3 } })).toThrow(RangeError);
    expect(() => ops.fromJSON({ ...json(), sums: 'AAAA' })).toThrow(RangeError);
  });

  it('derives seeds from a seed and a sub-window index, beyond 32 bits', () => {
    expect(mixSeed(0, 29_000_000)).toBe(mixSeed(0, 29_000_000));
    expect(mixSeed(0, 29_000_000)).not.toBe(mixSeed(1, 29_000_000));
    expect(mixSeed(0, 1)).not.toBe(mixSeed(0, 1 + 2 ** 32));
    expect(Number.isInteger(mixSeed(4_294_967_295, 2 ** 40))).toBe(true);
  });
});
