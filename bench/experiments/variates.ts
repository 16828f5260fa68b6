import type { Random } from '../../detectors/stats/seeded-random.js';

/**
 * Normal, gamma, beta and binomial variates from a seeded uniform source, so
 * that a simulation of experiments can draw a look's worth of units as a few
 * counts instead of one draw per unit: a binomial of a million trials costs
 * about forty gamma draws. All exact (no normal approximation to the
 * binomial), since a simulation meant to measure false positive rates must not
 * bring errors of its own.
 */
export class Variates {
  readonly #random: Random;
  #spareNormal: number | null = null;

  constructor(random: Random) {
    this.#random = random;
  }

  /** A uniform in [0, 1). */
  uniform(): number {
    return this.#random();
  }

  /** A standard normal by the Marsaglia polar method, which draws them in pairs; the second is kept for the next call. */
  normal(): number {
    if (this.#spareNormal !== null) {
      const z = this.#spareNormal;
      this.#spareNormal = null;
      return z;
    }
    for (;;) {
      const u = 2 * this.#random() - 1;
      const v = 2 * this.#random() - 1;
      const s = u * u + v * v;
      if (s === 0 || s >= 1) continue;
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      this.#spareNormal = v * f;
      return u * f;
    }
  }

  /** Gamma(shape, 1) for shape ≥ 1 (Marsaglia and Tsang 2000): one normal and one uniform, rarely rejected. */
  gamma(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = this.normal();
      const t = 1 + c * z;
      if (t <= 0) continue;
      const v = t * t * t;
      const u = this.#random();
      if (u < 1 - 0.0331 * z * z * z * z) return d * v;
      if (Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Beta(a, b) for a, b ≥ 1, as a ratio of gammas. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }

  /**
   * Binomial(n, p), exactly, by splitting on order statistics (Knuth, TAOCP
   * vol. 2, 3.4.1): the a-th smallest of n uniforms is Beta(a, n + 1 − a);
   * if it is at least p, the successes are among the a − 1 below it, each
   * below p with probability p / X; otherwise the a below it all succeed and
   * the rest are uniform on (X, 1). Halving n each time, then one uniform per
   * trial once n is small.
   */
  binomial(n: number, p: number): number {
    let count = 0;
    let trials = n;
    let prob = p;
    while (trials > SMALL_N) {
      if (prob <= 0) return count;
      if (prob >= 1) return count + trials;
      const a = 1 + Math.floor(trials / 2);
      const b = trials + 1 - a;
      const x = this.beta(a, b);
      if (x >= prob) {
        trials = a - 1;
        prob /= x;
      } else {
        count += a;
        trials = b - 1;
        prob = (prob - x) / (1 - x);
      }
    }
    for (let i = 0; i < trials; i++) if (this.#random() < prob) count++;
    return count;
  }

  /** exp(μ + σ Z): a lognormal amount. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }
}

/** Below this many trials a uniform per trial is cheaper than another split. */
const SMALL_N = 16;
