import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  binnedWassersteinDistance,
  normedBinnedWassersteinDistance,
  normedWassersteinDistance,
  wassersteinDistance,
} from './wasserstein.js';

// Written by fixtures/make_fixtures.py: scipy 1.10.1's stats.wasserstein_distance on samples, with
// Evidently's norm max(np.std(u), 0.001); the binned distance integrated there exactly (np.interp
// and np.trapz over the edges and the sign changes of F - G), normed by the binned std.
interface Fixture {
  samples: Array<{ name: string; u: number[]; v: number[]; distance: number; normed: number }>;
  weighted: Array<{
    name: string;
    u: number[];
    v: number[];
    uWeights: number[];
    vWeights: number[];
    distance: number;
  }>;
  binned: Array<{
    name: string;
    edges: number[];
    p: number[];
    q: number[];
    distance: number;
    normed: number;
  }>;
}
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/wasserstein.json', import.meta.url), 'utf8'),
) as Fixture;

/** Relative 1e-12, or absolute 1e-15 where the distance is 0: sums of the same terms in another order. */
function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-12 * Math.abs(expected), 1e-15));
}

describe('wassersteinDistance against scipy.stats.wasserstein_distance (relative 1e-12)', () => {
  for (const c of fixture.samples) {
    it(c.name, () => {
      expectClose(wassersteinDistance(c.u, c.v), c.distance);
      expectClose(normedWassersteinDistance(c.u, c.v), c.normed);
    });
  }
});

describe('wassersteinDistance with weights against scipy.stats.wasserstein_distance (relative 1e-12)', () => {
  for (const c of fixture.weighted) {
    it(c.name, () => {
      expectClose(wassersteinDistance(c.u, c.v, c.uWeights, c.vWeights), c.distance);
    });
  }
});

describe('binnedWassersteinDistance against an exact numpy integration (relative 1e-12)', () => {
  for (const c of fixture.binned) {
    it(c.name, () => {
      expectClose(binnedWassersteinDistance(c.edges, c.p, c.q), c.distance);
      expectClose(normedBinnedWassersteinDistance(c.edges, c.p, c.q), c.normed);
    });
  }
});

describe('Wasserstein properties', () => {
  it('is the shift between a sample and its translate', () => {
    const u = [1, 4, 2, 8, 5];
    expect(
      wassersteinDistance(
        u,
        u.map((x) => x + 3),
      ),
    ).toBeCloseTo(3, 14);
  });

  it('normed: 0 when both are the same constant, large but finite for a constant reference', () => {
    expect(normedWassersteinDistance([4, 4, 4], [4, 4])).toBe(0);
    expect(normedWassersteinDistance([4, 4, 4], [5])).toBeCloseTo(1000, 9);
  });

  it('binned: moving all mass one bin of width w over costs w', () => {
    expect(binnedWassersteinDistance([0, 2, 4, 6], [0, 5, 0], [0, 0, 7])).toBeCloseTo(2, 14);
  });

  it('refuses empty samples, bad edges and mismatched bins', () => {
    expect(() => wassersteinDistance([], [1])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, Number.POSITIVE_INFINITY], [1])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [1])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [0, 0])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [1, -1])).toThrow(RangeError);
    expect(() => binnedWassersteinDistance([0, 1, 1], [1, 1], [1, 1])).toThrow(RangeError);
    expect(() => binnedWassersteinDistance([0, 1], [1, 1], [1, 1])).toThrow(RangeError);
    expect(() => binnedWassersteinDistance([0, 1, 2], [0, 0], [1, 1])).toThrow(RangeError);
  });
});
