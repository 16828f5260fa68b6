import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regularizedGammaP, regularizedGammaQ } from './regularized-gamma.js';

// Written by fixtures/make_fixtures.py: scipy 1.10.1's special.gammaincc, gammainc and
// stats.chi2.sf, and beside each the same function in 60-digit decimal arithmetic.
interface Fixture {
  gamma: Array<{ a: number; x: number; q: number; p: number; exactQ: number; exactP: number }>;
  chiSquare: Array<{ x: number; dof: number; sf: number; exactSf: number }>;
}
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/regularized-gamma.json', import.meta.url), 'utf8'),
) as Fixture;

/** Against the 60-digit values: relative 5e-13 (the worst seen is 2e-13, at a = 1000 and Q = 1e-300). */
const EXACT_TOLERANCE = 5e-13;
/**
 * Against scipy: relative 1e-11, wherever scipy is itself that close to the 60-digit
 * value. It is not at a = 1e6, x = 0.99a (P off by 2e-10 in scipy 1.10), listed below.
 */
const SCIPY_TOLERANCE = 1e-11;
/** The smallest normal double: below it both sides are subnormal or 0, and only |value| < 1e-300 is asked. */
const SMALLEST_NORMAL = 2.2250738585072014e-308;

function relativeError(actual: number, expected: number): number {
  if (Math.abs(expected) < SMALLEST_NORMAL) return Math.abs(actual) < 1e-300 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('regularizedGammaQ and regularizedGammaP', () => {
  const points = fixture.gamma.map((c) => ({
    ...c,
    Q: regularizedGammaQ(c.a, c.x),
    P: regularizedGammaP(c.a, c.x),
  }));

  it(`match 60-digit values to relative 5e-13 at ${fixture.gamma.length} points, a from 1e-10 to 1e6, Q down to 1e-300`, () => {
    for (const c of points) {
      expect.soft(relativeError(c.Q, c.exactQ), `Q(${c.a}, ${c.x})`).toBeLessThanOrEqual(EXACT_TOLERANCE);
      expect.soft(relativeError(c.P, c.exactP), `P(${c.a}, ${c.x})`).toBeLessThanOrEqual(EXACT_TOLERANCE);
    }
  });

  it('match scipy.special.gammaincc and gammainc to relative 1e-11 wherever scipy is that accurate', () => {
    const scipyOff: string[] = [];
    for (const c of points) {
      if (relativeError(c.q, c.exactQ) > SCIPY_TOLERANCE || relativeError(c.p, c.exactP) > SCIPY_TOLERANCE) {
        scipyOff.push(`${c.a},${c.x}`);
        continue;
      }
      expect.soft(relativeError(c.Q, c.q), `Q(${c.a}, ${c.x})`).toBeLessThanOrEqual(SCIPY_TOLERANCE);
      expect.soft(relativeError(c.P, c.p), `P(${c.a}, ${c.x})`).toBeLessThanOrEqual(SCIPY_TOLERANCE);
    }
    expect(scipyOff).toEqual(['1000000,990000']);
  });

  it('give the chi-square upper tail Q(dof/2, x/2) from 0.5 to 1e-300 (scipy.stats.chi2.sf, relative 1e-11)', () => {
    for (const c of fixture.chiSquare) {
      const q = regularizedGammaQ(c.dof / 2, c.x / 2);
      expect.soft(relativeError(q, c.exactSf), `dof ${c.dof}, x ${c.x}`).toBeLessThanOrEqual(EXACT_TOLERANCE);
      expect.soft(relativeError(q, c.sf), `dof ${c.dof}, x ${c.x}`).toBeLessThanOrEqual(SCIPY_TOLERANCE);
    }
  });

  it('are 1 and 0 at x = 0, 0 and 1 at x = ∞, and NaN off their domain', () => {
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaP(3, 0)).toBe(0);
    expect(regularizedGammaQ(3, Number.POSITIVE_INFINITY)).toBe(0);
    expect(regularizedGammaP(3, Number.POSITIVE_INFINITY)).toBe(1);
    expect(regularizedGammaQ(0, 1)).toBeNaN();
    expect(regularizedGammaQ(1, -1)).toBeNaN();
    expect(regularizedGammaQ(Number.NaN, 1)).toBeNaN();
  });

  it('have closed forms where they exist: Q(1, x) = e^-x, Q(1/2, 2) = erfc(√2) (relative 1e-14)', () => {
    for (const x of [1e-8, 0.3, 1, 7, 50, 600]) {
      expect(relativeError(regularizedGammaQ(1, x), Math.exp(-x))).toBeLessThan(1e-14);
    }
    expect(relativeError(regularizedGammaQ(0.5, 2), 0.04550026389635842)).toBeLessThan(1e-14);
  });

  it('stay quick for a huge shape near its mean (a = 1e8, one standard deviation above it)', () => {
    const started = performance.now();
    const q = regularizedGammaQ(1e8, 1e8 + 1e4);
    expect(q).toBeGreaterThan(0.1586);
    expect(q).toBeLessThan(0.1587); // ≈ the normal tail at one standard deviation
    expect(performance.now() - started).toBeLessThan(500);
  });
});
