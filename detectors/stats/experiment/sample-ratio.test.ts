import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SampleRatioOptions, sampleRatioCheck } from './sample-ratio.js';

// Written by fixtures/make_fixtures.py from scipy 1.10.1's stats.chisquare(counts, f_exp=total * w / sum(w)).
interface Case {
  name: string;
  counts: number[];
  weights: number[];
  options: SampleRatioOptions;
  chiSquare: number;
  df: number;
  pValue: number;
  deviation: number;
  mismatch: boolean;
}
const { cases } = JSON.parse(
  readFileSync(new URL('fixtures/sample-ratio.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

/** Statistic and deviation: relative 1e-12 (same sums). p-value: relative 1e-10 (scipy's chi2.sf is good to ~1e-11). */
const STATISTIC_TOLERANCE = 1e-12;
const P_TOLERANCE = 1e-10;

function expectRelative(actual: number, expected: number, tolerance: number, label: string): void {
  if (expected === 0) {
    expect.soft(Math.abs(actual), label).toBeLessThanOrEqual(1e-15);
    return;
  }
  expect.soft(Math.abs(actual / expected - 1), label).toBeLessThanOrEqual(tolerance);
}

describe('sampleRatioCheck against scipy.stats.chisquare (statistic 1e-12, p-value 1e-10)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = sampleRatioCheck(c.counts, c.weights, c.options);
      expect(r.df).toBe(c.df);
      expectRelative(r.chiSquare, c.chiSquare, STATISTIC_TOLERANCE, 'chi-square');
      expectRelative(r.pValue, c.pValue, P_TOLERANCE, 'p-value');
      expectRelative(r.deviation, c.deviation, STATISTIC_TOLERANCE, 'deviation');
      expect(r.mismatch).toBe(c.mismatch);
    });
  }
});

describe('sampleRatioCheck', () => {
  const options = { pValue: 0.001, minDeviation: 0.01 };

  it('does not report 95.02% against 95% at a hundred million units, though the p-value is tiny', () => {
    const r = sampleRatioCheck([95_020_000, 4_980_000], [95, 5], options);
    expect(r.pValue).toBeLessThan(1e-15);
    expect(r.deviation).toBeCloseTo(0.004, 12);
    expect(r.mismatch).toBe(false);
  });

  it('reports a holdout that lost a fifth of its units', () => {
    expect(sampleRatioCheck([96_000, 4_000], [95, 5], options).mismatch).toBe(true);
  });

  it('finds nothing without units', () => {
    expect(sampleRatioCheck([0, 0, 0], [1, 1, 1], options)).toEqual({
      chiSquare: 0,
      df: 2,
      pValue: 1,
      deviation: 0,
      mismatch: false,
    });
  });

  it('refuses lengths that differ, fewer than two arms, negative counts and weights not positive', () => {
    expect(() => sampleRatioCheck([1, 2], [1], options)).toThrow(RangeError);
    expect(() => sampleRatioCheck([1], [1], options)).toThrow(RangeError);
    expect(() => sampleRatioCheck([1, -2], [1, 1], options)).toThrow(RangeError);
    expect(() => sampleRatioCheck([1, Number.NaN], [1, 1], options)).toThrow(RangeError);
    expect(() => sampleRatioCheck([1, 2], [1, 0], options)).toThrow(RangeError);
    expect(() => sampleRatioCheck([1, 2], [1, -1], options)).toThrow(RangeError);
    expect(() => sampleRatioCheck([1, 2], [1, Number.POSITIVE_INFINITY], options)).toThrow(RangeError);
  });
});
