import { describe, expect, it } from 'vitest';
import {
  brierScore,
  calibrationSummary,
  expectedCalibrationError,
  maximumCalibrationError,
  reliabilityDiagram,
} from './calibration-metrics.js';
import { ReliabilityBins } from './reliability-bins.js';

describe('calibration metrics', () => {
  // Two bins: [0, 0.5] holds 0.2, 0.4 (one correct), (0.5, 1] holds 0.9, 0.9, 0.6, 1 (two correct).
  const bins = ReliabilityBins.uniform(2);
  for (const [p, y] of [
    [0.2, false],
    [0.4, true],
    [0.9, true],
    [0.9, false],
    [0.6, false],
    [1, true],
  ] as const) {
    bins.add(p, y);
  }

  it('computes ECE, MCE and the Brier score by hand', () => {
    // Bin 0: accuracy 0.5, confidence 0.3; bin 1: accuracy 0.5, confidence 0.85.
    expect(expectedCalibrationError(bins)).toBeCloseTo((2 / 6) * 0.2 + (4 / 6) * 0.35, 12);
    expect(maximumCalibrationError(bins)).toBeCloseTo(0.35, 12);
    expect(brierScore(bins)).toBeCloseTo((0.04 + 0.36 + 0.01 + 0.81 + 0.36 + 0) / 6, 12);
    const s = calibrationSummary(bins);
    expect(s.count).toBe(6);
    expect(s.accuracy).toBe(0.5);
    expect(s.meanConfidence).toBeCloseTo(4 / 6, 12);
  });

  it('draws a diagram row per non-empty bin with its edges', () => {
    const sparse = ReliabilityBins.uniform(4);
    sparse.add(0.1, true);
    sparse.add(0.8, false);
    sparse.add(0.9, true);
    expect(reliabilityDiagram(sparse)).toEqual([
      { lower: 0, upper: 0.25, meanConfidence: 0.1, accuracy: 1, count: 1 },
      { lower: 0.75, upper: 1, meanConfidence: expect.closeTo(0.85, 12), accuracy: 0.5, count: 2 },
    ]);
  });

  it('is zero for a perfectly calibrated window', () => {
    const perfect = ReliabilityBins.uniform(10);
    for (let i = 0; i < 4; i++) perfect.add(0.75, i > 0);
    perfect.add(1, true);
    perfect.add(0, false);
    expect(expectedCalibrationError(perfect)).toBe(0);
    expect(maximumCalibrationError(perfect)).toBe(0);
  });

  it('is NaN for an empty window', () => {
    const empty = ReliabilityBins.uniform(10);
    for (const v of Object.values(calibrationSummary(empty)).slice(1)) expect(v).toBeNaN();
    expect(calibrationSummary(empty).count).toBe(0);
    expect(reliabilityDiagram(empty)).toEqual([]);
  });
});
