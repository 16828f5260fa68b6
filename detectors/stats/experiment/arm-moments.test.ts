import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ArmMoments,
  addUnit,
  covarianceXY,
  emptyMoments,
  mean,
  meanX,
  mergeMoments,
  variance,
  varianceX,
} from './arm-moments.js';

// Written by fixtures/make_fixtures.py: each arm's sums, and numpy.mean / numpy.var(ddof=1) of its raw units.
interface ArmCase {
  name: string;
  moments: ArmMoments;
  mean: number;
  variance: number;
}
const { arms } = JSON.parse(readFileSync(new URL('fixtures/lift.json', import.meta.url), 'utf8')) as {
  arms: ArmCase[];
};

/** One-pass sums against numpy's two-pass: relative 1e-12 (the fixtures' means are small against their spread). */
const TOLERANCE = 1e-12;

function momentsOf(ys: number[], xs?: number[]): ArmMoments {
  const m = emptyMoments();
  ys.forEach((y, i) => {
    addUnit(m, y, xs?.[i]);
  });
  return m;
}

describe('arm moments', () => {
  it('starts empty, with a NaN mean and zero variance', () => {
    const m = emptyMoments();
    expect(m).toEqual({ n: 0, nonZero: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 });
    expect(mean(m)).toBeNaN();
    expect(meanX(m)).toBeNaN();
    expect(variance(m)).toBe(0);
  });

  it('keeps the sums of y, y², x, x² and xy; a unit without a covariate counts as x = 0', () => {
    const m = momentsOf([1, 2, 4], [3, 0, 1]);
    expect(m).toEqual({ n: 3, nonZero: 3, sumY: 7, sumY2: 21, sumX: 4, sumX2: 10, sumXY: 7 });
    const noX = emptyMoments();
    addUnit(noX, 5);
    expect(noX).toEqual({ n: 1, nonZero: 1, sumY: 5, sumY2: 25, sumX: 0, sumX2: 0, sumXY: 0 });
  });

  it('gives the mean and the sample variance (divisor n - 1) of y, and of x, and their covariance', () => {
    const m = momentsOf([1, 2, 4], [3, 0, 1]);
    expect(mean(m)).toBeCloseTo(7 / 3, 15);
    // Σ(y - 7/3)² = 14/3, over 2.
    expect(variance(m)).toBeCloseTo(7 / 3, 14);
    expect(meanX(m)).toBeCloseTo(4 / 3, 15);
    expect(varianceX(m)).toBeCloseTo(7 / 3, 14);
    // Σ(x - 4/3)(y - 7/3) = 7 - 28/3 = -7/3, over 2.
    expect(covarianceXY(m)).toBeCloseTo(-7 / 6, 14);
  });

  it('has no variance below two units', () => {
    const one = momentsOf([3.5], [2]);
    expect(mean(one)).toBe(3.5);
    expect(variance(one)).toBe(0);
    expect(varianceX(one)).toBe(0);
    expect(covarianceXY(one)).toBe(0);
  });

  it('gives exactly 0 for a constant outcome whose sums do not cancel exactly', () => {
    for (const value of [0.1, 1 / 3, 123.456, 1e-7]) {
      const m = momentsOf(Array.from({ length: 1001 }, () => value));
      expect(variance(m), String(value)).toBe(0);
    }
    expect(variance(momentsOf([1, 1, 1, 1]))).toBe(0);
  });

  it('merges two sets of units into the moments of their union, leaving both unchanged', () => {
    const a = momentsOf([1, 2], [0, 1]);
    const b = momentsOf([4, 8, 16], [1, 2, 3]);
    const merged = mergeMoments(a, b);
    expect(merged).toEqual(momentsOf([1, 2, 4, 8, 16], [0, 1, 1, 2, 3]));
    expect(a).toEqual(momentsOf([1, 2], [0, 1]));
    expect(mergeMoments(emptyMoments(), b)).toEqual(b);
  });

  it(`matches numpy's mean and var(ddof=1) of the fixture arms (relative ${TOLERANCE})`, () => {
    for (const arm of arms) {
      expect
        .soft(Math.abs(mean(arm.moments) / arm.mean - 1), `${arm.name}: mean`)
        .toBeLessThanOrEqual(TOLERANCE);
      if (arm.variance === 0) expect.soft(variance(arm.moments), `${arm.name}: variance`).toBe(0);
      else {
        expect
          .soft(Math.abs(variance(arm.moments) / arm.variance - 1), `${arm.name}: variance`)
          .toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });
});
