import { describe, expect, it } from 'vitest';
import { median, type PeekingOptions, runPeekingSimulation } from './peeking-simulation.js';

const ALPHA = 0.05;
const AA: PeekingOptions = {
  experiments: 400,
  looks: 20,
  unitsPerLook: 1000,
  split: [50, 50],
  baseRate: 0.1,
  effect: 0,
  alpha: ALPHA,
  seed: 7,
  metric: 'binary',
};

describe('runPeekingSimulation', () => {
  it('keeps the sequential test within alpha under peeking, where the peeked t-test is far above it', () => {
    const r = runPeekingSimulation(AA);
    expect(r.experiments).toBe(400);
    expect(r.looks).toBe(20);
    // Three binomial standard errors above alpha (1.1 points at 400 experiments).
    const margin = 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / AA.experiments);
    expect(r.sequentialRejectRate).toBeLessThanOrEqual(ALPHA + margin);
    expect(r.fixedHorizonRejectRate).toBeGreaterThan(ALPHA + margin);
    expect(r.fixedHorizonRejectRate).toBeGreaterThan(3 * r.sequentialRejectRate);
    // Read once, the t-test holds its level.
    expect(Math.abs(r.fixedHorizonFinalLookRejectRate - ALPHA)).toBeLessThanOrEqual(margin);
  });

  it('detects an injected effect with the sequential test in most experiments, before the last look', () => {
    const r = runPeekingSimulation({ ...AA, experiments: 200, effect: 0.3 });
    expect(r.sequentialRejectRate).toBeGreaterThan(0.8);
    expect(r.medianLooksToDetection).not.toBeNull();
    expect(r.medianLooksToDetection!).toBeLessThan(AA.looks);
    expect(r.medianUnitsToDetection).toBe(r.medianLooksToDetection! * AA.unitsPerLook);
  });

  it('detects a lift of revenue in a 95/5 holdout', () => {
    const r = runPeekingSimulation({
      ...AA,
      experiments: 100,
      unitsPerLook: 5000,
      split: [95, 5],
      metric: 'continuous',
      baseRate: 0.3,
      effect: 0.5,
    });
    expect(r.sequentialRejectRate).toBeGreaterThan(0.8);
  });

  it('is the same for the same seed and differs for another', () => {
    const options = { ...AA, experiments: 50 };
    expect(runPeekingSimulation(options)).toEqual(runPeekingSimulation(options));
    const a = runPeekingSimulation({ ...options, effect: 0.1 });
    const b = runPeekingSimulation({ ...options, effect: 0.1, seed: 8 });
    expect(a).not.toEqual(b);
  });

  it('reads nothing before each arm has minUnitsPerArm units', () => {
    const r = runPeekingSimulation({ ...AA, experiments: 20, effect: 1, minUnitsPerArm: 1e9 });
    expect(r.fixedHorizonRejectRate).toBe(0);
    expect(r.sequentialRejectRate).toBe(0);
    expect(r.medianLooksToDetection).toBeNull();
    expect(r.medianUnitsToDetection).toBeNull();
  });

  it('refuses options that describe no experiment', () => {
    expect(() => runPeekingSimulation({ ...AA, experiments: 0 })).toThrow(RangeError);
    expect(() => runPeekingSimulation({ ...AA, looks: 1.5 })).toThrow(RangeError);
    expect(() => runPeekingSimulation({ ...AA, split: [100, 0] })).toThrow(RangeError);
    expect(() => runPeekingSimulation({ ...AA, baseRate: 0 })).toThrow(RangeError);
    expect(() => runPeekingSimulation({ ...AA, baseRate: 0.6, effect: 1 })).toThrow(RangeError);
    expect(() => runPeekingSimulation({ ...AA, alpha: 1 })).toThrow(RangeError);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
