import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TUNING, sequentialInterval, sequentialRho } from './confidence-sequence.js';

// Written by fixtures/make_fixtures.py: eq. 9 and eq. 161 of Waudby-Smith et al. (arXiv 2103.06476)
// transcribed in numpy, on the lift fixtures' estimates and on a grid of n, alpha and tuning.
interface Case {
  name: string;
  estimate: number;
  standardError: number;
  n: number;
  alpha: number;
  tuning: number;
  rho: number;
  lower: number;
  upper: number;
  pValue: number;
}
const { cases } = JSON.parse(
  readFileSync(new URL('fixtures/confidence-sequence.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

/**
 * Relative 1e-12: the same closed form, rearranged (√(s²)·√(1/N²) as se/√N, logarithms through
 * log1p), so only rounding separates them. Bounds relative to the larger of the bound and the
 * standard error, since a bound near 0 has no relative precision to keep.
 */
const TOLERANCE = 1e-12;

function expectRelative(actual: number, expected: number, label: string, scale?: number): void {
  const s = scale ?? Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect.soft(Math.abs(actual - expected) / s, label).toBeLessThanOrEqual(TOLERANCE);
}

describe(`sequentialInterval against the paper's equation in numpy (relative ${TOLERANCE})`, () => {
  for (const c of cases) {
    it(c.name, () => {
      expectRelative(sequentialRho(c.alpha, c.tuning), c.rho, 'rho');
      const i = sequentialInterval(c.estimate, c.standardError, c.n, c.alpha, c.tuning);
      expect(i.estimate).toBe(c.estimate);
      expect(i.standardError).toBe(c.standardError);
      expectRelative(i.lower, c.lower, 'lower', Math.max(Math.abs(c.lower), c.standardError));
      expectRelative(i.upper, c.upper, 'upper', Math.max(Math.abs(c.upper), c.standardError));
      expectRelative(i.pValue, c.pValue, 'p-value');
    });
  }
});

describe('sequentialInterval', () => {
  it('tunes to 5000 units by default', () => {
    expect(DEFAULT_TUNING).toBe(5000);
    expect(sequentialInterval(0.1, 0.04, 3000, 0.05)).toEqual(
      sequentialInterval(0.1, 0.04, 3000, 0.05, 5000),
    );
  });

  it('has p < alpha exactly when the interval excludes 0', () => {
    for (const alpha of [0.01, 0.05, 0.2]) {
      for (const n of [10, 1000, 5000, 1e6]) {
        for (let z = 0; z <= 8; z += 0.25) {
          const i = sequentialInterval(z * 0.01, 0.01, n, alpha);
          expect(i.lower > 0, `alpha ${alpha} n ${n} z ${z}`).toBe(i.pValue < alpha);
        }
      }
    }
  });

  it('is wider than the fixed-horizon interval, and widens again past the tuning n only slowly', () => {
    const halfwidth = (n: number) => {
      const i = sequentialInterval(0, 1 / Math.sqrt(n), n, 0.05);
      return (i.upper - i.lower) / 2;
    };
    for (const n of [100, 5000, 1e6]) expect(halfwidth(n) * Math.sqrt(n)).toBeGreaterThan(1.96);
    // In units of se, the width is smallest near the tuning n.
    const inSe = (n: number) => halfwidth(n) * Math.sqrt(n);
    expect(inSe(5000)).toBeLessThan(inSe(500));
    expect(inSe(5000)).toBeLessThan(inSe(50_000));
  });

  it('handles a zero standard error, no units and NaN', () => {
    expect(sequentialInterval(0, 0, 100, 0.05)).toEqual({
      estimate: 0,
      standardError: 0,
      lower: 0,
      upper: 0,
      pValue: 1,
    });
    expect(sequentialInterval(0.2, 0, 100, 0.05).pValue).toBe(0);
    const none = sequentialInterval(0.2, 0.1, 0, 0.05);
    expect([none.lower, none.upper, none.pValue]).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      1,
    ]);
    for (const v of Object.values(sequentialInterval(Number.NaN, 0.1, 10, 0.05))) expect(v).toBeNaN();
  });

  it('refuses an alpha outside (0, 1) and a tuning that is not positive', () => {
    expect(() => sequentialInterval(0, 1, 10, 0)).toThrow(RangeError);
    expect(() => sequentialInterval(0, 1, 10, 1)).toThrow(RangeError);
    expect(() => sequentialInterval(0, 1, 10, 0.05, 0)).toThrow(RangeError);
    expect(() => sequentialInterval(0, 1, 10, 0.05, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
