import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import { EXACT_BELOW, sampleBinomial, sampleMultinomial, standardNormal } from './binomial-sampler.js';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

function binomialPmf(n: number, p: number, k: number): number {
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log(n - k + i) - Math.log(i);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

describe('sampleBinomial', () => {
  it.each([
    [20, 0.3],
    [30, 0.9],
    [100_000, 1e-4],
  ])('draws binomial(%i, %f) exactly: each frequency within 4.5 sigma of the pmf', (n, p) => {
    expect(n * Math.min(p, 1 - p)).toBeLessThan(EXACT_BELOW);
    const random = seededRandom(17);
    const draws = 100_000;
    const freq = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const k = sampleBinomial(random, n, p);
      freq.set(k, (freq.get(k) ?? 0) + 1);
    }
    const lo = Math.min(...freq.keys());
    const hi = Math.max(...freq.keys());
    for (let k = lo; k <= hi; k++) {
      const expected = draws * binomialPmf(n, p, k);
      expect(Math.abs((freq.get(k) ?? 0) - expected)).toBeLessThan(4.5 * Math.sqrt(expected) + 1);
    }
  });

  it.each([
    [100_000, 0.3],
    [5_000, 0.97],
    [400, 0.5],
  ])('draws binomial(%i, %f) by the normal approximation with its mean and variance', (n, p) => {
    expect(n * Math.min(p, 1 - p)).toBeGreaterThanOrEqual(EXACT_BELOW);
    const random = seededRandom(23);
    const xs = Array.from({ length: 20_000 }, () => sampleBinomial(random, n, p));
    const { mean, variance } = moments(xs);
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(mean - n * p)).toBeLessThan((4 * sd) / Math.sqrt(xs.length));
    expect(variance / sd ** 2).toBeGreaterThan(0.95);
    expect(variance / sd ** 2).toBeLessThan(1.05);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
  });

  it('returns the certain outcomes and refuses bad arguments', () => {
    const random = seededRandom(1);
    expect(sampleBinomial(random, 0, 0.5)).toBe(0);
    expect(sampleBinomial(random, 50, 0)).toBe(0);
    expect(sampleBinomial(random, 50, 1)).toBe(50);
    expect(() => sampleBinomial(random, -1, 0.5)).toThrow(RangeError);
    expect(() => sampleBinomial(random, 2.5, 0.5)).toThrow(RangeError);
    expect(() => sampleBinomial(random, 5, 1.5)).toThrow(RangeError);
    expect(() => sampleBinomial(random, 5, Number.NaN)).toThrow(RangeError);
  });
});

describe('standardNormal', () => {
  it('has mean 0 and variance 1', () => {
    const random = seededRandom(9);
    const { mean, variance } = moments(Array.from({ length: 50_000 }, () => standardNormal(random)));
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });
});

describe('sampleMultinomial', () => {
  it('places all n items, none in zero-weight categories, each about n w / W on average', () => {
    const random = seededRandom(4);
    const weights = [30, 0, 50, 20, 0];
    const out = new Float64Array(weights.length);
    const sums = new Float64Array(weights.length);
    const rounds = 2000;
    for (let r = 0; r < rounds; r++) {
      sampleMultinomial(random, 1000, weights, out);
      expect(out.reduce((s, x) => s + x, 0)).toBe(1000);
      out.forEach((x, i) => {
        sums[i]! += x;
      });
    }
    expect(sums[1]).toBe(0);
    expect(sums[4]).toBe(0);
    for (const i of [0, 2, 3]) expect(Math.abs(sums[i]! / rounds - weights[i]! * 10)).toBeLessThan(1);
  });

  it('places all items with weights that do not sum exactly', () => {
    const random = seededRandom(8);
    const weights = [0.1, 0.2, 0.7, 0];
    const out = new Float64Array(4);
    for (let r = 0; r < 200; r++) {
      expect(sampleMultinomial(random, 300_000, weights, out).reduce((s, x) => s + x, 0)).toBe(300_000);
      expect(out[3]).toBe(0);
    }
  });

  it('refuses bad weights and a wrong output size', () => {
    const random = seededRandom(1);
    expect(() => sampleMultinomial(random, 5, [1, 2], new Float64Array(3))).toThrow(RangeError);
    expect(() => sampleMultinomial(random, 5, [0, 0], new Float64Array(2))).toThrow(RangeError);
    expect(() => sampleMultinomial(random, 5, [1, -1], new Float64Array(2))).toThrow(RangeError);
  });
});
