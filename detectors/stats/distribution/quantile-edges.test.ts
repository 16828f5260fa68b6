import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binCount, binIndex, quantileEdges, quantileOfSorted } from './quantile-edges.js';

// Written by fixtures/make_fixtures.py: numpy.quantile (method 'linear') at 0, 1/k, ..., 1, then
// numpy.unique; bins from numpy.searchsorted(edges, x, 'right') - 1, clipped to the outer bins.
interface Case {
  name: string;
  sample: number[];
  bins: number;
  rawQuantiles: number[];
  edges: number[];
  probes: number[];
  indices: number[];
}
const { cases } = JSON.parse(
  readFileSync(new URL('fixtures/quantile-edges.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

describe('quantileEdges against numpy.quantile, method linear (exactly equal), and binIndex', () => {
  for (const c of cases) {
    it(c.name, () => {
      // Same interpolation, same rounding: the edges come out bit for bit.
      const sorted = Float64Array.from(c.sample).sort();
      expect(c.rawQuantiles.map((_, i) => quantileOfSorted(sorted, i / c.bins))).toEqual(c.rawQuantiles);
      const edges = quantileEdges(c.sample, c.bins);
      expect(edges).toEqual(c.edges);
      expect(binCount(edges)).toBe(Math.max(1, c.edges.length - 1));
      expect(c.probes.map((x) => binIndex(edges, x))).toEqual(c.indices);
    });
  }
});

describe('quantileEdges and binIndex by hand', () => {
  it('puts values outside the edges in the outer bins and the top edge in the last bin', () => {
    const edges = [0, 1, 2, 3];
    expect([-5, 0, 0.5, 1, 2.999, 3, 100].map((x) => binIndex(edges, x))).toEqual([0, 0, 0, 1, 2, 2, 2]);
  });

  it('gives a constant sample a single bin', () => {
    const edges = quantileEdges([7, 7, 7], 4);
    expect(edges).toEqual([7]);
    expect(binCount(edges)).toBe(1);
    expect([6, 7, 8].map((x) => binIndex(edges, x))).toEqual([0, 0, 0]);
  });

  it('interpolates as numpy does: quartiles of 1..4 are 1, 1.75, 2.5, 3.25, 4', () => {
    expect(quantileEdges([4, 1, 3, 2], 4)).toEqual([1, 1.75, 2.5, 3.25, 4]);
  });

  it('refuses an empty sample, non-finite values, a bad bin count and NaN lookups', () => {
    expect(() => quantileEdges([], 3)).toThrow(RangeError);
    expect(() => quantileEdges([1, Number.NaN], 3)).toThrow(RangeError);
    expect(() => quantileEdges([1, 2], 0)).toThrow(RangeError);
    expect(() => quantileEdges([1, 2], 2.5)).toThrow(RangeError);
    expect(() => binIndex([0, 1], Number.NaN)).toThrow(RangeError);
  });
});
