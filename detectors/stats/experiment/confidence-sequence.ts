import type { Interval } from './lift.js';
import { nanInterval, pointInterval } from './t-interval.js';

/** The total units (both arms) at which the sequence is tightest unless told otherwise: GrowthBook's default. */
export const DEFAULT_TUNING = 5000;

/**
 * ρ of the asymptotic confidence sequence chosen so that its width is
 * smallest at `tuning` units (Waudby-Smith et al. 2023, arXiv 2103.06476,
 * eq. 161): ρ = √((−2 ln α + ln(−2 ln α + 1)) / M). Before M units the
 * sequence is wider than it could be, after M only slowly so; the choice of M
 * never costs validity.
 */
export function sequentialRho(alpha: number, tuning: number): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuning);
}

/**
 * The always-valid interval for a lift: the asymptotic confidence sequence of
 * Waudby-Smith et al. (2023, eq. 9), the form GrowthBook documents for its
 * sequential testing. Unlike the fixed-horizon t interval it keeps its 1 − α
 * coverage simultaneously over every n, so it may be read after every batch
 * of units and a decision taken the first time it excludes 0, without the
 * false positives that peeking at a t-test brings.
 *
 * With N the units of both arms, se the fixed-horizon standard error of the
 * estimate (absolute or relative) and s² = se² N the variance of one unit's
 * contribution:
 *   halfwidth = s · √( 2(Nρ² + 1) / (N²ρ²) · ln(√(Nρ² + 1) / α) ),
 *   p = min(1, √(Nρ² + 1) · exp(−ρ² N est² / (2 se² (Nρ² + 1)))),
 * the p-value being the α at which the halfwidth equals |est| with ρ held at
 * its value for the configured α; so p < α exactly when the interval
 * excludes 0 (and like the interval, it stays valid under peeking).
 *
 * Asymptotic: it leans on the central limit theorem as the t-test does, so it
 * is as good as the standard error fed to it, and not for a handful of units.
 * A zero standard error gives the estimate as its own interval, p 1 at 0 and
 * p 0 elsewhere (as tInterval); no units, an interval of everything and p 1;
 * a NaN estimate or standard error, NaN throughout. A RangeError when alpha is
 * not in (0, 1) or the tuning is not positive.
 */
export function sequentialInterval(
  estimate: number,
  standardError: number,
  n: number,
  alpha: number,
  tuning: number = DEFAULT_TUNING,
): Interval {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`sequential: alpha must be in (0, 1), got ${alpha}`);
  if (!(tuning > 0 && Number.isFinite(tuning))) {
    throw new RangeError(`sequential: tuning must be a positive number of units, got ${tuning}`);
  }
  if (Number.isNaN(estimate) || !(standardError >= 0) || Number.isNaN(n)) return nanInterval();
  if (!(n > 0)) {
    return {
      estimate,
      standardError,
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      pValue: 1,
    };
  }
  if (standardError === 0) return pointInterval(estimate);
  const rho = sequentialRho(alpha, tuning);
  const nRho2 = n * rho * rho;
  // s · √(1/N²) = se / √N, so the halfwidth is se · √(2(Nρ² + 1)/(Nρ²) · ln(...)).
  const logTerm = 0.5 * Math.log1p(nRho2) - Math.log(alpha);
  const half = standardError * Math.sqrt(((2 * (nRho2 + 1)) / nRho2) * logTerm);
  const z = estimate / standardError;
  const pValue = Math.min(1, Math.exp(0.5 * Math.log1p(nRho2) - (z * z * nRho2) / (2 * (nRho2 + 1))));
  return { estimate, standardError, lower: estimate - half, upper: estimate + half, pValue };
}
