import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jensenShannonDistance } from './jensen-shannon.js';

// Written by fixtures/make_fixtures.py from scipy 1.10.1's spatial.distance.jensenshannon(p, q, base=2).
interface Case {
  name: string;
  p: number[];
  q: number[];
  distance: number;
}
const { cases } = JSON.parse(
  readFileSync(new URL('fixtures/jensen-shannon.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

/**
 * Absolute 1e-12 on the distance. Not relative: near 0 the distance is the square
 * root of a sum that cancels, so its relative error grows as it shrinks (1e-9
 * relative at a distance of 1e-6 is the same 1e-16 in the divergence).
 */
const TOLERANCE = 1e-12;

describe('jensenShannonDistance against scipy.spatial.distance.jensenshannon, base 2 (absolute 1e-12)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(Math.abs(jensenShannonDistance(c.p, c.q) - c.distance)).toBeLessThanOrEqual(TOLERANCE);
    });
  }
});

describe('jensenShannonDistance bounds and refusals', () => {
  it('is exactly 0 for proportional vectors and 1 for disjoint ones', () => {
    expect(jensenShannonDistance([2, 4, 6], [1, 2, 3])).toBe(0);
    expect(jensenShannonDistance([0, 0, 5], [7, 1, 0])).toBe(1);
  });

  it('is symmetric', () => {
    expect(jensenShannonDistance([1, 5, 2], [3, 1, 1])).toBe(jensenShannonDistance([3, 1, 1], [1, 5, 2]));
  });

  it('refuses mismatched lengths, empty distributions and negative entries', () => {
    expect(() => jensenShannonDistance([1, 2], [1])).toThrow(RangeError);
    expect(() => jensenShannonDistance([0, 0], [1, 1])).toThrow(RangeError);
    expect(() => jensenShannonDistance([], [])).toThrow(RangeError);
    expect(() => jensenShannonDistance([1, -1, 2], [1, 1, 1])).toThrow(RangeError);
    expect(() => jensenShannonDistance([1, Number.NaN], [1, 1])).toThrow(RangeError);
  });
});
