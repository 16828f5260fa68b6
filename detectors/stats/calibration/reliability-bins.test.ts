import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import { ReliabilityBins } from './reliability-bins.js';

/** `n` labelled predictions: confidence uniform on [0, 1], correct with that probability. */
function predictions(seed: number, n: number): Array<[number, boolean]> {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const p = random();
    return [p, random() < p];
  });
}

function fill(bins: ReliabilityBins, data: Array<[number, boolean]>): ReliabilityBins {
  for (const [p, y] of data) bins.add(p, y);
  return bins;
}

describe('ReliabilityBins', () => {
  it('counts a prediction in its bin: count, confidence, correct and squared error', () => {
    const bins = ReliabilityBins.uniform(4);
    bins.add(0.9, true);
    bins.add(0.6, false);
    bins.add(1, true);
    expect(Array.from(bins.count)).toEqual([0, 0, 1, 2]);
    expect(Array.from(bins.sumConfidence)).toEqual([0, 0, 0.6, 1.9]);
    expect(Array.from(bins.correct)).toEqual([0, 0, 0, 2]);
    expect(bins.sumSquaredError).toBeCloseTo(0.01 + 0.36, 15);
    expect(bins.total).toBe(3);
  });

  it('merges windows into what one accumulator over all of them holds', () => {
    const data = predictions(11, 3000);
    for (const make of [
      () => ReliabilityBins.uniform(15),
      () => ReliabilityBins.quantile([0.2, 0.5, 0.9], 2),
    ]) {
      const whole = fill(make(), data);
      const parts = [data.slice(0, 1000), data.slice(1000, 1001), data.slice(1001)].map((d) =>
        fill(make(), d),
      );
      const merged = parts.reduce((acc, p) => acc.merge(p), make());
      expect(Array.from(merged.count)).toEqual(Array.from(whole.count));
      expect(Array.from(merged.correct)).toEqual(Array.from(whole.correct));
      expect(merged.total).toBe(3000);
      // Sums differ only in the order of additions: agree to 1e-12 relative.
      for (let b = 0; b < whole.sumConfidence.length; b++) {
        const x = whole.sumConfidence[b]!;
        expect(Math.abs(merged.sumConfidence[b]! - x)).toBeLessThanOrEqual(1e-12 * Math.max(1, x));
      }
      expect(Math.abs(merged.sumSquaredError - whole.sumSquaredError)).toBeLessThanOrEqual(
        1e-12 * whole.sumSquaredError,
      );
    }
  });

  it('refuses to merge bins with other edges', () => {
    expect(() => ReliabilityBins.uniform(10).merge(ReliabilityBins.uniform(5))).toThrow(RangeError);
    expect(() => ReliabilityBins.uniform(2).merge(ReliabilityBins.frozen([0, 0.4, 1]))).toThrow(RangeError);
    expect(() => ReliabilityBins.uniform(2).merge(ReliabilityBins.frozen([0, 0.5, 1]))).not.toThrow();
  });

  it('survives a snapshot through JSON text unchanged', () => {
    for (const bins of [ReliabilityBins.uniform(10), ReliabilityBins.quantile([0.3, 0.55, 0.7, 0.95], 3)]) {
      fill(bins, predictions(5, 500));
      const restored = ReliabilityBins.fromJSON(JSON.parse(JSON.stringify(bins)));
      expect(restored.toJSON()).toEqual(bins.toJSON());
      expect(restored.total).toBe(500);
      expect(restored.binning).toBe(bins.binning);
      // Restored bins keep counting where they left off.
      restored.add(0.5, true);
      expect(restored.total).toBe(501);
    }
  });

  it('refuses a snapshot whose arrays do not fit its edges', () => {
    const json = ReliabilityBins.uniform(3).toJSON();
    expect(() => ReliabilityBins.fromJSON({ ...json, count: [0, 0] })).toThrow(RangeError);
    expect(() => ReliabilityBins.fromJSON({ ...json, edges: [0, 0.3, 0.6, 1] })).toThrow(RangeError);
    expect(() => ReliabilityBins.fromJSON({ ...json, binning: 'frozen', edges: [0, 0.6, 0.3, 1] })).toThrow(
      RangeError,
    );
  });

  it('freezes quantile edges from the reference, widened to 0 and 1', () => {
    const bins = ReliabilityBins.quantile([0.6, 0.7, 0.8, 0.9], 2);
    expect(bins.edges).toEqual([0, 0.75, 1]);
    bins.add(0.1, true);
    bins.add(0.95, false);
    expect(Array.from(bins.count)).toEqual([1, 1]);
  });

  it('starts an empty copy with the same edges', () => {
    const bins = fill(ReliabilityBins.quantile([0.2, 0.4, 0.9], 2), predictions(1, 10));
    const copy = bins.emptyCopy();
    expect(copy.edges).toEqual(bins.edges);
    expect(copy.total).toBe(0);
    expect(() => copy.merge(bins)).not.toThrow();
  });

  it('refuses a confidence outside [0, 1]', () => {
    const bins = ReliabilityBins.uniform(10);
    for (const p of [-0.01, 1.01, Number.NaN]) expect(() => bins.add(p, true)).toThrow(RangeError);
    expect(bins.total).toBe(0);
  });
});
