import { describe, expect, it } from 'vitest';
import { tInterval, welchDf } from './t-interval.js';

describe('welchDf', () => {
  it('is n1 + n2 - 2 for equal variances and sizes', () => {
    expect(welchDf(4, 10, 4, 10)).toBeCloseTo(18, 12);
  });

  it('follows the arm that dominates the variance of the difference', () => {
    // All the variance in the 5-unit arm: df = 4.
    expect(welchDf(3, 5, 0, 1000)).toBeCloseTo(4, 12);
  });

  it('is 1 when neither arm varies, as scipy takes it', () => {
    expect(welchDf(0, 3, 0, 4)).toBe(1);
  });
});

describe('tInterval', () => {
  it('uses the familiar quantiles: 12.706 at df 1, 1.960 at large df', () => {
    const one = tInterval(0, 1, 1, 0.05);
    expect(one.upper).toBeCloseTo(12.706204736174694, 9);
    expect(one.pValue).toBe(1);
    const large = tInterval(0, 1, 1e9, 0.05);
    expect(large.upper).toBeCloseTo(1.959963984540054, 8);
  });

  it('gives the p-value of a t statistic from the lower tail, keeping tiny values', () => {
    expect(tInterval(1.959963984540054, 1, 1e12, 0.05).pValue).toBeCloseTo(0.05, 9);
    const far = tInterval(-30, 1, 1000, 0.05).pValue;
    expect(far).toBeGreaterThan(0);
    expect(far).toBeLessThan(1e-100);
  });

  it('gives NaN for a NaN estimate or standard error', () => {
    for (const v of Object.values(tInterval(Number.NaN, 1, 10, 0.05))) expect(v).toBeNaN();
    for (const v of Object.values(tInterval(1, Number.NaN, 10, 0.05))) expect(v).toBeNaN();
  });
});
