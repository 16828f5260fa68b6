import { stirlingCorrection } from './log-gamma.js';

/**
 * P(D+_n >= d), the upper tail of the one-sided one-sample Kolmogorov-Smirnov
 * statistic (scipy.special.smirnov), by the Smirnov / Birnbaum-Tingey sum
 *
 *   d Σ_{j=0}^{⌊n(1-d)⌋} C(n, j) (d + j/n)^(j-1) (1 - d - j/n)^(n-j).
 *
 * The terms are all positive; term j is the binomial probability of j
 * successes in n trials of chance p = d + j/n, divided by p, and is computed
 * the way Loader (2000, "Fast and accurate computation of binomial
 * probabilities") computes that probability: from the deviances
 * j ln(j/np) + np - j, which are of the size of the exponent itself, instead
 * of logarithms of size n that cancel. Summed scaled by the largest term, so a
 * tail of 1e-300 keeps its digits. scipy sums the same terms in double-double
 * arithmetic; the two agree to about 1e-12 up to n = 300,000. O(n) per call.
 *
 * Past n = 1,000,000 scipy replaces the sum by exp(-(6nd + 1)² / (18n)), and so
 * does this, to keep the cost bounded and the two in step.
 */
export function smirnovSurvival(n: number, d: number): number {
  if (!(n >= 1 && Number.isInteger(n)) || Number.isNaN(d)) return Number.NaN;
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  if (n === 1) return 1 - d;
  if (n > 1_000_000) return Math.exp(-((6 * n * d + 1) ** 2) / 18 / n);

  const nd = n * d;
  const stirlingN = stirlingCorrection(n);
  const logTerms: number[] = [n * Math.log1p(-d) - Math.log(d)]; // j = 0: (1 - d)^n / d
  let largest = logTerms[0]!;
  for (let j = 1; j < n; j++) {
    const successes = nd + j; // n p
    const failures = n - successes; // n q
    if (failures <= 0) break;
    const logTerm =
      stirlingN -
      stirlingCorrection(j) -
      stirlingCorrection(n - j) -
      deviance(j, successes, -nd) -
      deviance(n - j, failures, nd) -
      0.5 * (LOG_TWO_PI + Math.log(j) + Math.log1p(-j / n)) -
      Math.log(successes / n);
    logTerms.push(logTerm);
    if (logTerm > largest) largest = logTerm;
  }
  let sum = 0;
  for (const t of logTerms) sum += Math.exp(t - largest);
  return Math.min(1, Math.exp(largest + Math.log(sum) + Math.log(d)));
}

const LOG_TWO_PI = Math.log(2 * Math.PI);

/**
 * Loader's bd0: x ln(x/m) + m - x, given x - m exactly; by the series in
 * v = (x - m)/(x + m) when x and m are close, where the direct form cancels.
 */
function deviance(x: number, m: number, xMinusM: number): number {
  if (Math.abs(xMinusM) < 0.1 * (x + m)) {
    const v = xMinusM / (x + m);
    const v2 = v * v;
    let sum = xMinusM * v;
    let term = 2 * x * v;
    for (let k = 1; k < 1000; k++) {
      term *= v2;
      const next = sum + term / (2 * k + 1);
      if (next === sum) break;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}
