import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chiSquareHomogeneity, chiSquareSurvival } from './chi-square.js';

// Written by fixtures/make_fixtures.py from scipy 1.10.1's stats.chi2_contingency(table, correction=False).
interface Case {
  name: string;
  reference: number[];
  current: number[];
  statistic: number;
  dof: number;
  pValue: number;
}
const { cases } = JSON.parse(readFileSync(new URL('fixtures/chi-square.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

/** Statistic: relative 1e-12 (same sums, another order). p-value: relative 1e-10 (scipy's chi2.sf is good to ~1e-11). */
const STATISTIC_TOLERANCE = 1e-12;
const P_TOLERANCE = 1e-10;

function expectRelative(actual: number, expected: number, tolerance: number, label: string): void {
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect.soft(Math.abs(actual - expected) / scale, label).toBeLessThanOrEqual(tolerance);
}

describe('chiSquareHomogeneity against scipy.stats.chi2_contingency (statistic relative 1e-12, p-value 1e-10)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = chiSquareHomogeneity(c.reference, c.current);
      expect(r.dof).toBe(c.dof);
      if (c.statistic === 0) expect(r.statistic).toBeLessThan(1e-12);
      else expectRelative(r.statistic, c.statistic, STATISTIC_TOLERANCE, 'statistic');
      if (c.pValue === 0) expect(r.pValue).toBeLessThan(1e-300);
      else expectRelative(r.pValue, c.pValue, P_TOLERANCE, 'p-value');
    });
  }
});

describe('chiSquareHomogeneity edge cases', () => {
  it('finds no difference without two categories or with an empty side', () => {
    const none = { statistic: 0, dof: 0, pValue: 1 };
    expect(chiSquareHomogeneity([], [])).toEqual(none);
    expect(chiSquareHomogeneity([0, 5, 0], [0, 9, 0])).toEqual(none);
    expect(chiSquareHomogeneity([3, 4], [0, 0])).toEqual(none);
  });

  it('refuses mismatched lengths and negative or non-finite counts', () => {
    expect(() => chiSquareHomogeneity([1, 2], [1])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([1, -2], [1, 2])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([1, Number.NaN], [1, 2])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([1, Number.POSITIVE_INFINITY], [1, 2])).toThrow(RangeError);
  });

  it('gives the familiar 5% critical values (3.841 at 1 dof, 18.307 at 10)', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});
