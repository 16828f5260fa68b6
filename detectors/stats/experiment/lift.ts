import { type ArmMoments, covarianceXY, mean, variance, varianceX } from './arm-moments.js';
import { adjustArm, cupedTheta } from './cuped.js';
import { nanInterval, tInterval, welchDf } from './t-interval.js';

export interface LiftOptions {
  /** Two-sided level: the intervals cover with probability 1 − alpha. */
  alpha: number;
  /** Adjust both arms by the pre-exposure covariate x (CUPED); off by default. */
  cuped?: boolean;
}

/** An estimate with its standard error, two-sided 1 − α interval and the p-value of "no difference". */
export interface Interval {
  estimate: number;
  standardError: number;
  lower: number;
  upper: number;
  pValue: number;
}

export interface LiftEstimate {
  /** Treatment mean − control mean (both adjusted under CUPED). */
  absolute: Interval;
  /**
   * The absolute lift over the unadjusted control mean: treatment / control − 1
   * without CUPED. Every field NaN when the control mean is 0, where a
   * relative lift means nothing; the absolute lift is still reported.
   */
  relative: Interval;
  /** Welch–Satterthwaite degrees of freedom, shared by both intervals. */
  df: number;
}

/**
 * The fixed-horizon comparison of a treatment arm with the control arm, as
 * GrowthBook's frequentist TwoSidedTTest makes it: Welch's t-test (no equal
 * variance assumed, since a treatment often changes the spread as well as the
 * mean) on the absolute lift, and the same df with the delta method's standard
 * error on the relative lift. Valid when read once, at a horizon fixed in
 * advance; peeking at it as data arrives inflates its false positives (see
 * confidence-sequence.ts for the interval that may be read at any time).
 *
 * With vt, vc the arms' sample variances, ȳt, ȳc their means:
 *   absolute: ȳt − ȳc, se² = vt/nt + vc/nc;
 *   relative: ȳt/ȳc − 1, se² = vt/(nt ȳc²) + vc ȳt²/(nc ȳc⁴) (delta method).
 *
 * With `cuped`, θ = Cov(x, y)/Var(x) over both arms pooled (cuped.ts); each
 * arm's mean becomes ȳ − θ(x̄ − x̄pooled) and its variance vy + θ² vx − 2θ cxy,
 * which the absolute lift, its standard error and the df then use. The
 * relative lift is the adjusted difference D over the unadjusted control
 * mean, with the delta-method variance gbstats uses
 * (frequentist_variance_relative_cuped):
 *   se² = vt,adj/(nt ȳc²) + (vy,c ȳt²/ȳc² − 2θ cxy,c ȳt/ȳc + θ² vx,c)/(nc ȳc²),
 * which counts the covariance of D with ȳc (the control's ȳc − θx̄c is in
 * both) and reduces to the formula above at θ = 0. It takes the gradient in
 * ȳc at ȳt; the exact gradient has ȳt − θ(x̄t − x̄c) there, which differs by
 * chance imbalance in x, a relative O(1/√n) (3% of the variance in the
 * fixtures' low-rate conversion case, under 1% in the others).
 *
 * Null when either arm has fewer than two units: no variance, no test.
 * A RangeError when alpha is not in (0, 1).
 */
export function fixedHorizonLift(
  treatment: ArmMoments,
  control: ArmMoments,
  options: LiftOptions,
): LiftEstimate | null {
  const { alpha } = options;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`lift: alpha must be in (0, 1), got ${alpha}`);
  if (treatment.n < 2 || control.n < 2) return null;

  const theta = options.cuped ? cupedTheta(treatment, control) : 0;
  const pooledMeanX = (treatment.sumX + control.sumX) / (treatment.n + control.n);
  const t = adjustArm(treatment, theta, pooledMeanX);
  const c = adjustArm(control, theta, pooledMeanX);
  const df = welchDf(t.variance, t.n, c.variance, c.n);

  const difference = t.mean - c.mean;
  const absolute = tInterval(difference, Math.sqrt(t.variance / t.n + c.variance / c.n), df, alpha);

  const controlMean = mean(control);
  if (controlMean === 0) return { absolute, relative: nanInterval(), df };
  const treatmentMean = mean(treatment);
  const ratio = treatmentMean / controlMean;
  const controlTerm =
    variance(control) * ratio * ratio -
    2 * theta * covarianceXY(control) * ratio +
    theta * theta * varianceX(control);
  const relativeVariance = (t.variance / t.n + Math.max(0, controlTerm) / c.n) / (controlMean * controlMean);
  const relative = tInterval(difference / controlMean, Math.sqrt(relativeVariance), df, alpha);
  return { absolute, relative, df };
}
