/**
 * Binomial and multinomial draws for bootstraps over binned counts, fast
 * for counts up to ~10^5 and beyond: a bootstrap draws a few per bin per
 * resample, so a draw must cost about the same whatever n is.
 *
 * A binomial(n, p) is drawn exactly, by inversion (sequential search from 0,
 * Kachitvichyanukul and Schmeiser's BINV, on the smaller of p and 1 - p),
 * while n * min(p, 1 - p) < EXACT_BELOW; its cost grows with that mean, so
 * above it a normal draw with the binomial's mean and variance, rounded to
 * the nearest integer and clamped to [0, n], stands in. There n p (1 - p)
 * >= EXACT_BELOW / 2 = 50, so the binomial's skewness |1 - 2p| / sqrt(n p (1 - p))
 * is at most 0.14 and the rounding acts as the continuity correction.
 */

import type { Random } from '../seeded-random.js';

/** Below this n * min(p, 1 - p) a binomial is drawn exactly, at about that many steps. */
export const EXACT_BELOW = 100;

/** A draw from binomial(n, p): successes in n trials of probability p. */
export function sampleBinomial(random: Random, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`trials must be a non-negative integer, not ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${p} is outside [0, 1]`);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  const flip = p > 0.5;
  const small = flip ? 1 - p : p;
  const x = n * small < EXACT_BELOW ? inversion(random, n, small) : normal(random, n, small);
  return flip ? n - x : x;
}

/** Exact binomial by inversion of its CDF, walking the pmf up from 0; p <= 0.5 keeps q^n well above underflow. */
function inversion(random: Random, n: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (n + 1) * s;
  let pmf = q ** n;
  let u = random();
  let x = 0;
  // pmf(x) = pmf(x - 1) * (n - x + 1) / x * p / q = pmf(x - 1) * (a / x - s).
  while (u >= pmf && x < n) {
    u -= pmf;
    x++;
    pmf *= a / x - s;
  }
  return x;
}

/** Normal approximation, rounded and clamped to [0, n]. */
function normal(random: Random, n: number, p: number): number {
  const x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * standardNormal(random));
  return Math.min(n, Math.max(0, x));
}

/** A standard normal draw (Box-Muller, one of the pair). */
export function standardNormal(random: Random): number {
  const u = 1 - random(); // in (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Draws n items over categories in proportion to `weights` (non-negative,
 * e.g. observed counts) and writes how many fell in each into `out`: a
 * multinomial, drawn as one binomial per category conditioned on those
 * before it, so O(categories) binomial draws. Returns `out`.
 */
export function sampleMultinomial(
  random: Random,
  n: number,
  weights: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  if (out.length !== weights.length) throw new RangeError('out must have one slot per weight');
  let rest = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w >= 0 && Number.isFinite(w)))
      throw new RangeError(`weight ${w} is not a finite non-negative number`);
    rest += w;
  }
  if (n > 0 && !(rest > 0)) throw new RangeError('weights must not all be zero');
  let left = n;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    // The share of what is left; clamped since float sums can leave it a hair above 1.
    const k = left === 0 || w === 0 ? 0 : sampleBinomial(random, left, Math.min(1, w / rest));
    out[i] = k;
    left -= k;
    rest -= w;
  }
  // Rounding of float weights can leave items unplaced; they go to the last non-empty category.
  if (left > 0) {
    for (let i = weights.length - 1; i >= 0; i--) {
      if (weights[i]! > 0) {
        out[i]! += left;
        break;
      }
    }
  }
  return out;
}
