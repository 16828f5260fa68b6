import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kolmogorovSurvival } from './kolmogorov-distribution.js';
import { KS_EXACT_MAX_PRODUCT, ksTwoSample } from './kolmogorov-smirnov.js';
import { smirnovSurvival } from './smirnov-one-sided.js';
import { twoSampleKsExactPValue } from './two-sample-ks-exact.js';

// Written by fixtures/make_fixtures.py from scipy 1.10.1: stats.ks_2samp(a, b, method), the exact
// lattice-path probability by (n, m, h), stats.kstwo.sf(d, n) and special.smirnov(n, d).
interface Fixture {
  cases: Array<{
    name: string;
    a: number[];
    b: number[];
    method: 'exact' | 'asymp';
    statistic: number;
    pValue: number;
  }>;
  lattice: Array<{ n: number; m: number; h: number; pValue: number }>;
  kstwo: Array<{ n: number; d: number; sf: number }>;
  smirnov: Array<{ n: number; d: number; sf: number }>;
}
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/kolmogorov-smirnov.json', import.meta.url), 'utf8'),
) as Fixture;

/** The statistic is the same ratio of integers: relative 1e-15. */
const STATISTIC_TOLERANCE = 1e-15;
/**
 * p-values: relative 1e-12 (exact: a different recursion from scipy's, as stable; the
 * worst seen is 4e-15). kstwo and smirnov: relative 5e-12 (the worst seen is 1e-12,
 * Pomeranz at n = 140). Below the smallest normal double, |p| < 1e-300.
 */
const P_TOLERANCE = 1e-12;
const DISTRIBUTION_TOLERANCE = 5e-12;

function relativeError(actual: number, expected: number): number {
  if (Math.abs(expected) < 2.2250738585072014e-308)
    return Math.abs(actual) < 1e-300 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('ksTwoSample against scipy.stats.ks_2samp (statistic relative 1e-15, p-value 1e-12)', () => {
  for (const c of fixture.cases) {
    it(`${c.name} (${c.method})`, () => {
      const auto = c.a.length * c.b.length <= KS_EXACT_MAX_PRODUCT ? 'exact' : 'asymp';
      const r = ksTwoSample(c.a, c.b, c.method === auto ? {} : { method: c.method });
      expect(r.method).toBe(c.method);
      expect(relativeError(r.statistic, c.statistic)).toBeLessThanOrEqual(STATISTIC_TOLERANCE);
      expect(relativeError(r.pValue, c.pValue)).toBeLessThanOrEqual(P_TOLERANCE);
    });
  }
});

describe('twoSampleKsExactPValue against scipy (relative 1e-12)', () => {
  it(`matches _attempt_exact_2kssamp at ${fixture.lattice.length} (n, m, h), down to p = 2/C(1000, 500)`, () => {
    for (const c of fixture.lattice) {
      expect
        .soft(relativeError(twoSampleKsExactPValue(c.n, c.m, c.h), c.pValue), `${c.n}, ${c.m}, ${c.h}`)
        .toBeLessThanOrEqual(P_TOLERANCE);
    }
  });

  it('is symmetric in the two sample sizes and 1 at h = 0', () => {
    expect(twoSampleKsExactPValue(7, 13, 40)).toBeCloseTo(twoSampleKsExactPValue(13, 7, 40), 15);
    expect(twoSampleKsExactPValue(5, 8, 0)).toBe(1);
  });
});

describe('kolmogorovSurvival against scipy.stats.kstwo.sf (relative 5e-12)', () => {
  it(`matches at ${fixture.kstwo.length} (n, d), n from 1 to 300,000, through every branch`, () => {
    for (const c of fixture.kstwo) {
      expect
        .soft(relativeError(kolmogorovSurvival(c.n, c.d), c.sf), `n ${c.n}, d ${c.d}`)
        .toBeLessThanOrEqual(DISTRIBUTION_TOLERANCE);
    }
  });

  it('is 1 at d = 0, 0 at d = 1, NaN for a bad n', () => {
    expect(kolmogorovSurvival(10, 0)).toBe(1);
    expect(kolmogorovSurvival(10, 1)).toBe(0);
    expect(kolmogorovSurvival(0, 0.5)).toBeNaN();
    expect(kolmogorovSurvival(2.5, 0.5)).toBeNaN();
  });
});

describe('smirnovSurvival against scipy.special.smirnov (relative 5e-12)', () => {
  it(`matches at ${fixture.smirnov.length} (n, d)`, () => {
    for (const c of fixture.smirnov) {
      expect
        .soft(relativeError(smirnovSurvival(c.n, c.d), c.sf), `n ${c.n}, d ${c.d}`)
        .toBeLessThanOrEqual(DISTRIBUTION_TOLERANCE);
    }
  });
});

describe('ksTwoSample choice of method and refusals', () => {
  it('is exact up to n·m = 10,000 and asymptotic above, unless told', () => {
    const a = Array.from({ length: 100 }, (_, i) => i);
    const b = Array.from({ length: 101 }, (_, i) => i + 0.5);
    expect(ksTwoSample(a, a.slice(0, 100)).method).toBe('exact');
    expect(ksTwoSample(a, b).method).toBe('asymp');
    expect(ksTwoSample(a, b, { method: 'exact' }).method).toBe('exact');
  });

  it('does not care about input order', () => {
    const a = [3, 1, 2, 9, 4];
    const b = [8, 6, 7, 5];
    expect(ksTwoSample(a, b)).toEqual(ksTwoSample([...a].reverse(), [...b].sort()));
  });

  it('refuses an empty sample or a NaN', () => {
    expect(() => ksTwoSample([], [1])).toThrow(RangeError);
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(RangeError);
  });
});
