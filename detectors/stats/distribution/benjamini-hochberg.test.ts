import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './benjamini-hochberg.js';

// Written by fixtures/make_fixtures.py: statsmodels' fdr_bh correction re-done in numpy (statsmodels
// is not installed), checked there against the worked example of Benjamini & Hochberg (1995).
interface Case {
  name: string;
  pValues: number[];
  adjusted: number[];
}
const { cases } = JSON.parse(
  readFileSync(new URL('fixtures/benjamini-hochberg.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

describe('benjaminiHochberg against the numpy fdr_bh (relative 1e-15)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const adjusted = benjaminiHochberg(c.pValues);
      expect(adjusted).toHaveLength(c.adjusted.length);
      c.adjusted.forEach((x, i) => {
        expect(Math.abs(adjusted[i]! - x)).toBeLessThanOrEqual(1e-15 * x);
      });
    });
  }
});

describe('benjaminiHochberg by hand', () => {
  it('reproduces Benjamini & Hochberg (1995): four of fifteen rejected at 0.05', () => {
    const p = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
      0.759, 1,
    ];
    const adjusted = benjaminiHochberg(p);
    // p(i) · 15 / i, then the running minimum from the largest: 0.0278 · 15/6 = 0.0695 falls to 0.0298 · 15/7.
    const byHand = [
      0.0015,
      0.003,
      0.0095,
      0.035625,
      0.0603,
      0.0298 * (15 / 7),
      0.0298 * (15 / 7),
      0.0645,
      0.0765,
      0.486,
      0.4262 * (15 / 11),
      0.714875,
      0.6528 * (15 / 13),
      0.759 * (15 / 14),
      1,
    ];
    byHand.forEach((x, i) => {
      expect(adjusted[i]).toBeCloseTo(x, 14);
    });
    expect(adjusted.filter((x) => x <= 0.05)).toHaveLength(4);
  });

  it('keeps input order, shares a value among ties and caps at 1', () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03])).toEqual([0.03, 0.04, 0.04]);
    expect(benjaminiHochberg([0.02, 0.02, 0.5])).toEqual([0.03, 0.03, 0.5]);
    expect(benjaminiHochberg([0.9, 0.8])).toEqual([0.9, 0.9]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it('refuses a p-value outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.5, 1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(RangeError);
  });
});
