import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import { checkEdges, quantileEdges, searchBin, uniformBin, uniformEdges } from './bin-edges.js';

describe('uniformBin', () => {
  it('places every confidence where the binary search over the same edges does', () => {
    const random = seededRandom(3);
    for (const n of [1, 2, 3, 7, 10, 15, 20, 100]) {
      const edges = uniformEdges(n);
      // On the edges, a hair either side of them, the ends and random values.
      const probes = [0, 1, ...edges.flatMap((e) => [e, e - 1e-16, e + 1e-16, e - 1e-9, e + 1e-9])]
        .filter((x) => x >= 0 && x <= 1)
        .concat(Array.from({ length: 2000 }, random));
      for (const x of probes) expect(uniformBin(edges, x)).toBe(searchBin(edges, x));
    }
  });

  it('puts 0 in the first bin, 1 in the last and an inner edge in the bin below it', () => {
    const edges = uniformEdges(10);
    expect(uniformBin(edges, 0)).toBe(0);
    expect(uniformBin(edges, 1)).toBe(9);
    expect(uniformBin(edges, 0.5)).toBe(4);
    expect(uniformBin(edges, 0.50000001)).toBe(5);
    // numpy's 3/10 edge is 0.30000000000000004, so 0.3 lies below it.
    expect(edges[3]).toBe(0.30000000000000004);
    expect(uniformBin(edges, 0.3)).toBe(2);
    expect(uniformBin(edges, 0.30000000000000004)).toBe(2);
  });
});

describe('searchBin', () => {
  it('sends values beyond the outer edges to the outer bins', () => {
    const edges = [0.4, 0.6, 0.8];
    expect(searchBin(edges, 0)).toBe(0);
    expect(searchBin(edges, 1)).toBe(1);
  });

  it('leaves bins between repeated edges empty, as numpy searchsorted does', () => {
    const edges = [0, 0.5, 0.5, 0.5, 1];
    expect(searchBin(edges, 0.5)).toBe(0);
    expect(searchBin(edges, 0.51)).toBe(3);
  });
});

describe('quantileEdges', () => {
  it("interpolates between order statistics with numpy's rounding", () => {
    // np.percentile([0.4, 0.1, 0.3, 0.2], np.linspace(0, 1, 4) * 100)
    expect(quantileEdges([0.4, 0.1, 0.3, 0.2], 3)).toEqual([
      0.1, 0.19999999999999998, 0.29999999999999993, 0.4,
    ]);
    expect(quantileEdges([0.7], 2)).toEqual([0.7, 0.7, 0.7]);
  });

  it('rejects an empty sample, NaN and a bad bin count', () => {
    expect(() => quantileEdges([], 5)).toThrow(RangeError);
    expect(() => quantileEdges([0.5, Number.NaN], 5)).toThrow(RangeError);
    expect(() => quantileEdges([0.5], 0)).toThrow(RangeError);
    expect(() => uniformEdges(2.5)).toThrow(RangeError);
  });
});

describe('checkEdges', () => {
  it('accepts non-decreasing edges in [0, 1] and refuses others', () => {
    expect(() => checkEdges([0, 0.5, 0.5, 1])).not.toThrow();
    expect(() => checkEdges([0.5])).toThrow(RangeError);
    expect(() => checkEdges([0, 0.6, 0.5, 1])).toThrow(RangeError);
    expect(() => checkEdges([-0.1, 1])).toThrow(RangeError);
    expect(() => checkEdges([0, Number.NaN])).toThrow(RangeError);
  });
});
