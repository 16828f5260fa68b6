/**
 * Mergeable sufficient statistics of one arm for one metric: y is the outcome,
 * x the optional pre-exposure covariate (CUPED).
 *
 * Sums rather than units, so an arm of millions costs six numbers, sub-windows
 * and shards merge by addition, and state survives a restart as plain JSON.
 * The price is the textbook one-pass variance, which cancels digits when the
 * mean is large against the spread (about log10(mean² / variance) of them):
 * harmless for conversions, counts and revenue, which is what experiments here
 * measure.
 */
export interface ArmMoments {
  n: number;
  /** Units whose y is not 0 (conversions, buyers): a skewed metric needs enough of them before its interval holds. */
  nonZero: number;
  sumY: number;
  sumY2: number;
  sumX: number;
  sumX2: number;
  sumXY: number;
}

export function emptyMoments(): ArmMoments {
  return { n: 0, nonZero: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 };
}

/** Adds one unit's outcome y and covariate x; a unit without a covariate counts as x = 0. */
export function addUnit(m: ArmMoments, y: number, x = 0): void {
  m.n += 1;
  if (y !== 0) m.nonZero += 1;
  m.sumY += y;
  m.sumY2 += y * y;
  m.sumX += x;
  m.sumX2 += x * x;
  m.sumXY += x * y;
}

/** The moments of the two sets of units together; neither argument changes. */
export function mergeMoments(a: ArmMoments, b: ArmMoments): ArmMoments {
  return {
    n: a.n + b.n,
    nonZero: a.nonZero + b.nonZero,
    sumY: a.sumY + b.sumY,
    sumY2: a.sumY2 + b.sumY2,
    sumX: a.sumX + b.sumX,
    sumX2: a.sumX2 + b.sumX2,
    sumXY: a.sumXY + b.sumXY,
  };
}

/** Mean of y; NaN when the arm has no units, since no value would be honest. */
export function mean(m: ArmMoments): number {
  return m.n > 0 ? m.sumY / m.n : Number.NaN;
}

/** Mean of the covariate x; NaN when the arm has no units. */
export function meanX(m: ArmMoments): number {
  return m.n > 0 ? m.sumX / m.n : Number.NaN;
}

/**
 * Sample variance of y (divisor n - 1); 0 below two units. A constant outcome
 * that is not a whole number (0.1 every time) leaves sumY2 - sumY²/n a rounding
 * error either side of zero: below zero it would be a NaN standard error, just
 * above it a standard error so small that two equal arms look different. So a
 * centred sum within the rounding of the one-pass sums, n ε sumY2, counts as 0;
 * a real metric varies by far more than that (its coefficient of variation
 * would have to be below √(n ε), 1.5e-5 at a million units).
 */
export function variance(m: ArmMoments): number {
  return centredSquares(m.n, m.sumY2, m.sumY);
}

/** Sample variance of x (divisor n - 1); 0 below two units or within rounding of 0, as variance() is. */
export function varianceX(m: ArmMoments): number {
  return centredSquares(m.n, m.sumX2, m.sumX);
}

/** Sample covariance of x and y (divisor n - 1); 0 below two units. Not clamped: it may be negative. */
export function covarianceXY(m: ArmMoments): number {
  if (m.n < 2) return 0;
  return (m.sumXY - (m.sumX * m.sumY) / m.n) / (m.n - 1);
}

const EPSILON = 2.220446049250313e-16;

function centredSquares(n: number, sumSquares: number, sum: number): number {
  if (n < 2) return 0;
  const centred = sumSquares - (sum * sum) / n;
  if (centred <= n * EPSILON * sumSquares) return 0;
  return centred / (n - 1);
}
