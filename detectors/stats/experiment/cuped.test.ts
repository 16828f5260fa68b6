import { describe, expect, it } from 'vitest';
import { type ArmMoments, addUnit, emptyMoments } from './arm-moments.js';
import { adjustArm, cupedTheta } from './cuped.js';

function arm(units: Array<[y: number, x: number]>): ArmMoments {
  const m = emptyMoments();
  for (const [y, x] of units) addUnit(m, y, x);
  return m;
}

describe('cupedTheta', () => {
  it('is the slope of y on x over both arms pooled', () => {
    // y = 2x + 1 in both arms: the pooled slope is 2 whatever the split.
    const t = arm([
      [3, 1],
      [7, 3],
    ]);
    const c = arm([
      [5, 2],
      [9, 4],
      [11, 5],
    ]);
    expect(cupedTheta(t, c)).toBeCloseTo(2, 14);
  });

  it('pools, rather than averaging the arms: a shift between the arms counts', () => {
    // Within each arm x and y are unrelated; between them both are higher in treatment.
    const t = arm([
      [10, 10],
      [10, 12],
      [12, 10],
      [12, 12],
    ]);
    const c = arm([
      [0, 0],
      [0, 2],
      [2, 0],
      [2, 2],
    ]);
    // Over the eight units pooled, around x̄ = ȳ = 6.
    const xs = [10, 12, 10, 12, 0, 2, 0, 2];
    const ys = [10, 10, 12, 12, 0, 0, 2, 2];
    const mx = 6;
    const my = 6;
    const cov = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
    const vx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(cupedTheta(t, c)).toBeCloseTo(cov / vx, 14);
  });

  it('is 0 when the covariate does not vary', () => {
    expect(
      cupedTheta(
        arm([
          [1, 0.1],
          [5, 0.1],
        ]),
        arm([
          [2, 0.1],
          [3, 0.1],
          [9, 0.1],
        ]),
      ),
    ).toBe(0);
    expect(cupedTheta(arm([]), arm([]))).toBe(0);
  });
});

describe('adjustArm', () => {
  it('leaves the arm as it is at theta 0', () => {
    const m = arm([
      [1, 5],
      [3, 7],
    ]);
    expect(adjustArm(m, 0, 100)).toEqual({ n: 2, mean: 2, variance: 2 });
  });

  it('gives the mean and sample variance of y - theta (x - pooled mean of x)', () => {
    const units: Array<[number, number]> = [
      [4, 1],
      [7, 2],
      [5, 4],
      [10, 3],
    ];
    const theta = 1.5;
    const pooled = 2.25;
    const adjusted = units.map(([y, x]) => y - theta * (x - pooled));
    const mean = adjusted.reduce((a, b) => a + b, 0) / adjusted.length;
    const variance = adjusted.reduce((s, v) => s + (v - mean) ** 2, 0) / (adjusted.length - 1);
    const a = adjustArm(arm(units), theta, pooled);
    expect(a.n).toBe(4);
    expect(a.mean).toBeCloseTo(mean, 13);
    expect(a.variance).toBeCloseTo(variance, 13);
  });
});
