import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import { expectedCalibrationError } from './calibration-metrics.js';
import { eceDeltaBootstrap } from './ece-delta-bootstrap.js';
import { ReliabilityBins } from './reliability-bins.js';

/**
 * A window of `n` predictions with confidences spread over [0.3, 1], each
 * correct with probability confidence - overConfidence (so 0 is calibrated).
 */
function window(
  seed: number,
  n: number,
  overConfidence = 0,
  bins = ReliabilityBins.uniform(10),
): ReliabilityBins {
  const random = seededRandom(seed);
  for (let i = 0; i < n; i++) {
    const p = 0.3 + 0.7 * random();
    bins.add(p, random() < p - overConfidence);
  }
  return bins;
}

describe('eceDeltaBootstrap', () => {
  it('reports both ECEs and their difference', () => {
    const ref = window(1, 2000);
    const cur = window(2, 2000, 0.1);
    const r = eceDeltaBootstrap(ref, cur, { resamples: 200 });
    expect(r.eceReference).toBe(expectedCalibrationError(ref));
    expect(r.eceCurrent).toBe(expectedCalibrationError(cur));
    expect(r.delta).toBe(r.eceCurrent - r.eceReference);
    expect(r.resamples).toBe(200);
    expect(r.lower).toBeLessThanOrEqual(r.upper);
  });

  it('covers 0 for identical windows in at least 90% of 50 seeds', () => {
    const ref = window(3, 2000);
    const cur = ReliabilityBins.uniform(10).merge(ref);
    let covered = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const r = eceDeltaBootstrap(ref, cur, { seed });
      if (r.lower <= 0 && r.upper >= 0) covered++;
      expect(r.exceeds).toBe(false);
    }
    expect(covered).toBeGreaterThanOrEqual(45);
  });

  it('covers 0 for two windows drawn from the same calibrated classifier in at least 90% of 50 seeds', () => {
    let covered = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const r = eceDeltaBootstrap(window(1000 + seed, 3000), window(2000 + seed, 3000), { seed });
      if (r.lower <= 0 && r.upper >= 0) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(45);
  });

  it('lies above 0, and above a threshold, when the current window is much more over-confident', () => {
    for (const make of [
      () => ReliabilityBins.uniform(15),
      () => ReliabilityBins.quantile([0.4, 0.6, 0.8, 0.95], 4),
    ]) {
      const r = eceDeltaBootstrap(window(5, 2000, 0, make()), window(6, 2000, 0.15, make()), {
        threshold: 0.05,
        seed: 7,
      });
      expect(r.delta).toBeGreaterThan(0.1);
      expect(r.lower).toBeGreaterThan(0.05);
      expect(r.exceeds).toBe(true);
    }
  });

  it('gives the same interval for the same seed and another for another seed', () => {
    const ref = window(8, 1000);
    const cur = window(9, 1000, 0.05);
    const a = eceDeltaBootstrap(ref, cur, { seed: 42 });
    expect(eceDeltaBootstrap(ref, cur, { seed: 42 })).toEqual(a);
    expect(eceDeltaBootstrap(ref, cur, { random: seededRandom(42) })).toEqual(a);
    expect(eceDeltaBootstrap(ref, cur, { seed: 43 })).not.toEqual(a);
  });

  it('narrows at a lower level', () => {
    const ref = window(10, 1000);
    const cur = window(11, 1000);
    const wide = eceDeltaBootstrap(ref, cur, { alpha: 0.01 });
    const narrow = eceDeltaBootstrap(ref, cur, { alpha: 0.5 });
    expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower);
  });

  it('stays fast for windows of 10^5 predictions', () => {
    const ref = window(12, 100_000, 0, ReliabilityBins.uniform(20));
    const cur = window(13, 100_000, 0.02, ReliabilityBins.uniform(20));
    const start = performance.now();
    const r = eceDeltaBootstrap(ref, cur);
    // About 20 ms on one core; the bound only catches a draw that costs O(n).
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.lower).toBeGreaterThan(0);
  });

  it('has nothing to compare when a window is empty', () => {
    const r = eceDeltaBootstrap(window(14, 100), ReliabilityBins.uniform(10));
    expect(r.eceCurrent).toBeNaN();
    expect(r.lower).toBeNaN();
    expect(r.upper).toBeNaN();
    expect(r.resamples).toBe(0);
    expect(r.exceeds).toBe(false);
  });

  it('refuses windows binned differently and bad settings', () => {
    const ref = window(15, 100);
    expect(() => eceDeltaBootstrap(ref, window(16, 100, 0, ReliabilityBins.uniform(5)))).toThrow(RangeError);
    expect(() => eceDeltaBootstrap(ref, ref, { resamples: 0 })).toThrow(RangeError);
    expect(() => eceDeltaBootstrap(ref, ref, { alpha: 1 })).toThrow(RangeError);
  });
});
