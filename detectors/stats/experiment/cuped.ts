import {
  type ArmMoments,
  covarianceXY,
  mean,
  meanX,
  mergeMoments,
  variance,
  varianceX,
} from './arm-moments.js';

/**
 * One arm as the t-test sees it: the mean and sample variance of its
 * outcome, after the CUPED adjustment when θ is not 0.
 */
export interface AdjustedArm {
  n: number;
  /** ȳ − θ (x̄ − x̄ of both arms pooled). */
  mean: number;
  /** Sample variance of y − θ x: vy + θ² vx − 2θ cxy. */
  variance: number;
}

/**
 * CUPED's θ = Cov(x, y) / Var(x) over the units of both arms pooled, as
 * GrowthBook's regression adjustment (gbstats' compute_theta) takes it:
 * pooled rather than per arm, so both arms are adjusted by the same line and
 * the adjustment cannot absorb the treatment effect; the pre-exposure
 * covariate is independent of assignment, so pooling costs nothing.
 *
 * 0 when x has no variance (every unit the same covariate, or none at all:
 * CUPED then leaves the arms as they are), or a variance within the rounding
 * of the one-pass sums, which would make θ a ratio of two rounding errors.
 */
export function cupedTheta(treatment: ArmMoments, control: ArmMoments): number {
  const pooled = mergeMoments(treatment, control);
  const vx = varianceX(pooled);
  if (vx === 0) return 0;
  return covarianceXY(pooled) / vx;
}

/**
 * The arm adjusted by θ around the pooled covariate mean. Centring on the
 * pooled mean leaves the difference of the arms' means what it would be
 * without centring, (ȳt − ȳc) − θ (x̄t − x̄c), and keeps each adjusted mean
 * on the scale of the outcome. θ = 0 gives the arm unadjusted.
 */
export function adjustArm(m: ArmMoments, theta: number, pooledMeanX: number): AdjustedArm {
  if (theta === 0) return { n: m.n, mean: mean(m), variance: variance(m) };
  const v = variance(m) + theta * theta * varianceX(m) - 2 * theta * covarianceXY(m);
  return {
    n: m.n,
    mean: mean(m) - theta * (meanX(m) - pooledMeanX),
    // Non-negative on paper (the variance of y − θx); rounding can leave it a hair below.
    variance: Math.max(0, v),
  };
}
