import { describe, expect, it } from 'vitest';
import { chiSquareSurvival } from '../../detectors/stats/distribution/chi-square.js';
import { seededRandom } from '../../detectors/stats/seeded-random.js';
import { Variates } from './variates.js';

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/** Pearson's goodness of fit of draws of Binomial(n, p) to its probabilities, cells with expected count < 5 merged into the tails. */
function binomialFitPValue(draws: number[], n: number, p: number): number {
  const probabilities = Array.from({ length: n + 1 }, (_, k) =>
    Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p)),
  );
  const counts = new Array<number>(n + 1).fill(0);
  for (const d of draws) counts[d]! += 1;
  const cells: Array<[observed: number, expected: number]> = [];
  let observed = 0;
  let expected = 0;
  for (let k = 0; k <= n; k++) {
    observed += counts[k]!;
    expected += probabilities[k]! * draws.length;
    if (expected >= 5) {
      cells.push([observed, expected]);
      observed = 0;
      expected = 0;
    }
  }
  if (expected > 0) {
    const last = cells.pop()!;
    cells.push([last[0] + observed, last[1] + expected]);
  }
  const statistic = cells.reduce((s, [o, e]) => s + ((o - e) * (o - e)) / e, 0);
  return chiSquareSurvival(statistic, cells.length - 1);
}

describe('Variates', () => {
  it('draws standard normals: mean 0, variance 1', () => {
    const v = new Variates(seededRandom(1));
    let s = 0;
    let s2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const z = v.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.01);
  });

  it('draws gammas with mean and variance equal to the shape', () => {
    const v = new Variates(seededRandom(2));
    for (const shape of [1, 2.5, 40, 5000]) {
      let s = 0;
      let s2 = 0;
      const n = 50_000;
      for (let i = 0; i < n; i++) {
        const g = v.gamma(shape);
        s += g;
        s2 += g * g;
      }
      const mean = s / n;
      expect(Math.abs(mean / shape - 1), `shape ${shape}`).toBeLessThan(0.02);
      expect(Math.abs((s2 / n - mean * mean) / shape - 1), `shape ${shape}`).toBeLessThan(0.05);
    }
  });

  it('draws binomials whose frequencies fit the binomial probabilities, below and above the split', () => {
    const v = new Variates(seededRandom(3));
    for (const [n, p] of [
      [10, 0.3],
      [100, 0.05],
      [1000, 0.5],
      [5000, 0.01],
    ] as const) {
      const draws = Array.from({ length: 20_000 }, () => v.binomial(n, p));
      expect(binomialFitPValue(draws, n, p), `n ${n} p ${p}`).toBeGreaterThan(0.001);
    }
  });

  it('gets the mean and variance of a binomial of a million trials', () => {
    const v = new Variates(seededRandom(4));
    const n = 1_000_000;
    const p = 0.05;
    let s = 0;
    let s2 = 0;
    const m = 20_000;
    for (let i = 0; i < m; i++) {
      const k = v.binomial(n, p);
      s += k;
      s2 += k * k;
    }
    const mean = s / m;
    expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / m));
    expect(Math.abs((s2 / m - mean * mean) / (n * p * (1 - p)) - 1)).toBeLessThan(0.05);
  });

  it('handles the edges of p and n', () => {
    const v = new Variates(seededRandom(5));
    expect(v.binomial(1000, 0)).toBe(0);
    expect(v.binomial(1000, 1)).toBe(1000);
    expect(v.binomial(0, 0.5)).toBe(0);
    expect(v.binomial(3, 1)).toBe(3);
  });
});
