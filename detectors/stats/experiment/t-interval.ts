import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { Interval } from './lift.js';

/**
 * Welch–Satterthwaite degrees of freedom for a difference of two means with
 * unequal variances, from each arm's sample variance and size (n ≥ 2 each).
 * When both variances are 0 it is 0 / 0; then 1, as scipy's ttest_ind takes
 * it, since the interval and p-value of a zero standard error do not use it.
 */
export function welchDf(varianceA: number, nA: number, varianceB: number, nB: number): number {
  const a = varianceA / nA;
  const b = varianceB / nB;
  const denominator = (a * a) / (nA - 1) + (b * b) / (nB - 1);
  if (denominator === 0) return 1;
  return ((a + b) * (a + b)) / denominator;
}

/**
 * The two-sided Student t interval estimate ± t(1 − α/2, df) · se and the
 * p-value of estimate = 0, as GrowthBook's TwoSidedTTest reports them. The
 * p-value is 2 · F(−|t|) rather than 2 · (1 − F(|t|)), so it keeps its digits
 * when it is small (scipy's ttest_ind takes the survival function too).
 *
 * A standard error of 0 (no variation within either arm) is the limit of
 * the t-test as the spread vanishes: an estimate of 0 is no evidence (p 1),
 * any other is certain (p 0), and the interval is the estimate itself, so the
 * interval excludes 0 exactly when p < α, as it does otherwise.
 * A NaN estimate or standard error gives NaN throughout.
 */
export function tInterval(estimate: number, standardError: number, df: number, alpha: number): Interval {
  if (Number.isNaN(estimate) || !(standardError >= 0)) return nanInterval();
  if (standardError === 0) return pointInterval(estimate);
  const half = tQuantile(1 - alpha / 2, df) * standardError;
  const pValue = Math.min(1, 2 * tCdf(-Math.abs(estimate / standardError), df));
  return { estimate, standardError, lower: estimate - half, upper: estimate + half, pValue };
}

/** What a zero standard error gives: the estimate as its own interval, p 1 at 0 and p 0 elsewhere. */
export function pointInterval(estimate: number): Interval {
  return { estimate, standardError: 0, lower: estimate, upper: estimate, pValue: estimate === 0 ? 1 : 0 };
}

/** An interval with nothing to say: every field NaN. */
export function nanInterval(): Interval {
  return {
    estimate: Number.NaN,
    standardError: Number.NaN,
    lower: Number.NaN,
    upper: Number.NaN,
    pValue: Number.NaN,
  };
}
