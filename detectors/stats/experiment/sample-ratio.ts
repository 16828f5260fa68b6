import { chiSquareSurvival } from '../distribution/chi-square.js';

export interface SampleRatioResult {
  /** Pearson's X² = Σ (observed − expected)² / expected over the arms. */
  chiSquare: number;
  /** Arms − 1. */
  df: number;
  pValue: number;
  /** max over arms of |observed share / expected share − 1| */
  deviation: number;
  /** p below options.pValue and deviation at least options.minDeviation. */
  mismatch: boolean;
}

export interface SampleRatioOptions {
  /** The p-value below which the split is suspect; small (0.001 is usual), since the check runs again and again. */
  pValue: number;
  /** The smallest deviation worth reporting, as a fraction of an arm's expected share (0.01 = 1%). */
  minDeviation: number;
}

/**
 * The sample-ratio mismatch check: did the units split between the arms as
 * the configured weights say? A split that drifts (a redirect losing one arm's
 * units, a bot filter hitting one arm) biases every comparison, so a mismatch
 * makes the experiment's results untrusted. Pearson's chi-square goodness of
 * fit, as scipy.stats.chisquare(counts, f_exp = total × weights / Σ weights),
 * with the p-value from the chi-square upper tail at arms − 1 degrees of
 * freedom.
 *
 * At millions of units the test finds any difference at all: 95.02% against
 * 95% is significant at a hundred million units (p near 1e-19), and harmless. So a mismatch needs
 * both a p-value below options.pValue and some arm off its expected share by
 * at least options.minDeviation of that share.
 *
 * No units: X² 0, p 1, no mismatch. A RangeError for fewer than two arms,
 * lengths that differ, counts negative or not finite, weights not positive
 * and finite.
 */
export function sampleRatioCheck(
  counts: readonly number[],
  weights: readonly number[],
  options: SampleRatioOptions,
): SampleRatioResult {
  if (counts.length !== weights.length) {
    throw new RangeError(`sample ratio: ${counts.length} counts but ${weights.length} weights`);
  }
  if (counts.length < 2) throw new RangeError(`sample ratio: needs two arms or more, got ${counts.length}`);
  let total = 0;
  let weightTotal = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    const w = weights[i]!;
    if (!(c >= 0 && Number.isFinite(c))) {
      throw new RangeError(`sample ratio: counts must be finite and non-negative (arm ${i}: ${c})`);
    }
    if (!(w > 0 && Number.isFinite(w))) {
      throw new RangeError(`sample ratio: weights must be finite and positive (arm ${i}: ${w})`);
    }
    total += c;
    weightTotal += w;
  }
  const df = counts.length - 1;
  if (total === 0) return { chiSquare: 0, df, pValue: 1, deviation: 0, mismatch: false };
  let chiSquare = 0;
  let deviation = 0;
  for (let i = 0; i < counts.length; i++) {
    const expected = (total * weights[i]!) / weightTotal;
    const d = counts[i]! - expected;
    chiSquare += (d * d) / expected;
    // observed share / expected share = observed / expected.
    deviation = Math.max(deviation, Math.abs(counts[i]! / expected - 1));
  }
  const pValue = chiSquareSurvival(chiSquare, df);
  const mismatch = pValue < options.pValue && deviation >= options.minDeviation;
  return { chiSquare, df, pValue, deviation, mismatch };
}
