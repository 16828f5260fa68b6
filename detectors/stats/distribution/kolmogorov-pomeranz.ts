import { SCALE_DOWN, SCALE_EXPONENT, SCALE_UP, scaleByPowerOfTwo } from './scale-by-power-of-two.js';

/**
 * P(D_n <= d) for the two-sided one-sample Kolmogorov statistic by Pomeranz's
 * recursion (1974, CACM Algorithm 487) in the form Simard & L'Ecuyer (2011,
 * "Computing the two-sided Kolmogorov-Smirnov distribution", J. Stat. Softw.
 * 39(11)) give it, and as scipy's kstwo evaluates it: 2n + 1 steps, each
 * convolving a band of about 2nd + 2 values with one of three truncated
 * Poisson-like sequences ((g/n)^j/j!, (2g/n)^j/j!, ((1-2g)/n)^j/j!, where g is
 * the distance from nd to the nearest integer), and n! at the end.
 *
 * scipy's kstwo uses it for n <= 140 and 0.754693 < n d² <= 4, and so does
 * ./kolmogorov-distribution.ts. Rows are rescaled by 2^128 (exactly) when
 * they fall below 2^-128.
 */
export function kolmogorovCdfPomeranz(n: number, d: number): number {
  const t = n * d;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const width = 2 * (ll + 1);

  const gPowers = new Float64Array(width);
  const twoGPowers = new Float64Array(width);
  const restPowers = new Float64Array(width);
  gPowers[0] = twoGPowers[0] = restPowers[0] = 1;
  for (let j = 1; j < width; j++) {
    gPowers[j] = (gPowers[j - 1]! * (g / n)) / j;
    twoGPowers[j] = (twoGPowers[j - 1]! * ((2 * g) / n)) / j;
    restPowers[j] = (restPowers[j - 1]! * ((1 - 2 * g) / n)) / j;
  }

  const band = (i: number): [number, number] => bandLimits(i, n, ll, ceilF, roundF);
  let previous = new Float64Array(width);
  let current = new Float64Array(width);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let exponent = 0;
  let [j1, j2] = band(0);
  for (let i = 1; i <= 2 * n + 1; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [j1, j2] = band(i);
    const powers = i === 1 || i === 2 * n + 1 ? gPowers : i % 2 === 1 ? twoGPowers : restPowers;
    const span = j2 - k1 + 1;
    if (span <= 0) continue;
    // The entries j1..j2 of the full convolution of previous[k1..k1+span) with powers[0..span).
    const offset = k1 - previousStart;
    const available = Math.min(span, width - offset);
    const terms = Math.min(span, width);
    const first = j1 - k1;
    let largest = 0;
    for (let r = 0; r < j2 - j1 + 1; r++) {
      const at = first + r;
      let sum = 0;
      for (let s = Math.max(0, at - (terms - 1)); s <= Math.min(at, available - 1); s++) {
        sum += previous[offset + s]! * powers[at - s]!;
      }
      current[r] = sum;
      if (sum > largest) largest = sum;
    }
    if (largest > 0 && largest < SCALE_DOWN) {
      for (let r = 0; r < width; r++) current[r]! *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
    currentStart = previousStart + j1 - k1;
  }

  // Times n!, rescaled so it never overflows.
  let p = current[n - currentStart]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(p) > SCALE_UP) {
      p *= SCALE_DOWN;
      exponent += SCALE_EXPONENT;
    }
    p *= m;
  }
  return Math.min(1, Math.max(0, scaleByPowerOfTwo(p, exponent)));
}

/** The band of the row after step i that can hold non-zero values, as Simard & L'Ecuyer index it. */
function bandLimits(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}
