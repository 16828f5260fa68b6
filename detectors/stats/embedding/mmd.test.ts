import { describe, expect, it } from 'vitest';
import { embeddingDriftFixtures } from './fixtures/embedding-drift-fixtures.js';
import { gaussianVectors } from './gaussian-vectors.js';
import { medianHeuristicSigma, mmdPermutationTest, unbiasedMmd2 } from './mmd.js';

const { cases } = embeddingDriftFixtures();

/** The estimator written out term by term, kernel evaluated per pair, as a check on the matrix shortcuts. */
function bruteMmd2(x: number[][], y: number[][], sigma: number): number {
  const k = (a: number[], b: number[]) =>
    Math.exp(-a.reduce((s, v, d) => s + (v - b[d]!) ** 2, 0) / (2 * sigma * sigma));
  const within = (s: number[][]) => {
    let t = 0;
    for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) if (i !== j) t += k(s[i]!, s[j]!);
    return t / (s.length * (s.length - 1));
  };
  let cross = 0;
  for (const a of x) for (const b of y) cross += k(a, b);
  return within(x) + within(y) - (2 * cross) / (x.length * y.length);
}

const toArrays = (vs: Float64Array[]) => vs.map((v) => Array.from(v));

describe('unbiasedMmd2 and medianHeuristicSigma', () => {
  it.each(cases)(
    'match scipy pdist median to relative 1e-12 and sklearn rbf_kernel MMD^2 to 1e-9: $name',
    (c) => {
      const { mmd2, sigma } = unbiasedMmd2(c.reference, c.current);
      expect(Math.abs(sigma - c.sigma)).toBeLessThanOrEqual(1e-12 * c.sigma);
      expect(Math.abs(mmd2 - c.mmd2)).toBeLessThanOrEqual(1e-9 * Math.abs(c.mmd2) + 1e-12);
      expect(medianHeuristicSigma([...c.reference, ...c.current])).toBe(sigma);
    },
  );

  it('agrees with the estimator written out pair by pair, for unequal sample sizes and a given sigma', () => {
    const x = toArrays(gaussianVectors(7, 5, 1));
    const y = toArrays(gaussianVectors(11, 5, 2, 0.3, 1.5));
    for (const sigma of [0.5, 2, 10]) {
      const expected = bruteMmd2(x, y, sigma);
      expect(Math.abs(unbiasedMmd2(x, y, sigma).mmd2 - expected)).toBeLessThanOrEqual(
        1e-12 * Math.abs(expected),
      );
    }
  });

  it('takes the median over unordered pairs, averaging the middle two when their count is even', () => {
    expect(medianHeuristicSigma([[0], [1], [3]])).toBe(2); // distances 1 3 2
    expect(medianHeuristicSigma([[0], [1], [3], [7]])).toBe(3.5); // 1 2 3 | 4 6 7
    expect(medianHeuristicSigma([[0], [0], [0], [1]])).toBe(0.5); // 0 0 0 | 1 1 1
    // Six of ten pairs at distance 0: the median of the positive ones instead.
    expect(medianHeuristicSigma([[0], [0], [0], [0], [1]])).toBe(1);
    expect(
      medianHeuristicSigma([
        [3, 4],
        [0, 0],
      ]),
    ).toBe(5);
  });

  it('gives MMD^2 0 and p-value 1 when every vector is the same', () => {
    const same = Array.from({ length: 5 }, () => [1, 2, 3]);
    expect(mmdPermutationTest(same, same.slice(0, 3), { permutations: 20 })).toEqual({
      mmd2: 0,
      sigma: 0,
      pValue: 1,
      permutations: 20,
    });
  });

  it('refuses samples it cannot compare', () => {
    expect(() =>
      unbiasedMmd2(
        [[1, 2]],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toThrow(RangeError);
    expect(() =>
      unbiasedMmd2(
        [
          [1, 2],
          [3, 4],
        ],
        [[1, 2], [3]],
      ),
    ).toThrow(RangeError);
    expect(() => unbiasedMmd2([[1], [2]], [[1], [3]], -1)).toThrow(RangeError);
    expect(() => mmdPermutationTest([[1], [2]], [[1], [3]], { permutations: 1.5 })).toThrow(RangeError);
  });
});

describe('mmdPermutationTest', () => {
  it('gives roughly uniform p-values when both samples come from one distribution', () => {
    const ps: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const x = gaussianVectors(20, 4, 2 * seed);
      const y = gaussianVectors(20, 4, 2 * seed + 1);
      ps.push(mmdPermutationTest(x, y, { permutations: 99, seed }).pValue);
    }
    expect(ps.filter((p) => p < 0.05).length).toBeLessThan(6); // under 15% of 40
    const mean = ps.reduce((s, p) => s + p, 0) / ps.length;
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.65);
  });

  it('gives the smallest p-value, 1 / (1 + permutations), for a clear mean shift', () => {
    const x = gaussianVectors(30, 8, 1);
    const y = gaussianVectors(30, 8, 2, 1.5);
    const r = mmdPermutationTest(x, y, { permutations: 99, seed: 3 });
    expect(r.pValue).toBe(1 / 100);
    expect(r.permutations).toBe(99);
    expect(r.mmd2).toBeGreaterThan(0);
  });

  it('repeats its p-value for a seed, and the statistic does not depend on the seed', () => {
    const x = gaussianVectors(15, 4, 5);
    const y = gaussianVectors(15, 4, 6, 0.4);
    const a = mmdPermutationTest(x, y, { permutations: 50, seed: 11 });
    expect(mmdPermutationTest(x, y, { permutations: 50, seed: 11 })).toEqual(a);
    const others = [12, 13, 14, 15].map((seed) => mmdPermutationTest(x, y, { permutations: 50, seed }));
    for (const o of others) expect(o.mmd2).toBe(a.mmd2);
    expect(new Set([a, ...others].map((o) => o.pValue)).size).toBeGreaterThan(1);
    expect(mmdPermutationTest(x, y, { permutations: 0 }).pValue).toBe(1);
  });

  it('runs 200 permutations on 500 + 500 vectors of 384 dimensions (time logged, not asserted)', () => {
    const x = gaussianVectors(500, 384, 21);
    const y = gaussianVectors(500, 384, 22, 0.05);
    const start = performance.now();
    const r = mmdPermutationTest(x, y, { permutations: 200, seed: 1 });
    const ms = performance.now() - start;
    console.info(
      `MMD permutation test, 500 + 500 x 384 dims, 200 permutations: ${ms.toFixed(0)} ms ` +
        `(mmd2 ${r.mmd2.toExponential(3)}, sigma ${r.sigma.toFixed(3)}, p ${r.pValue.toFixed(4)})`,
    );
    expect(r.permutations).toBe(200);
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThanOrEqual(1);
  });
});
