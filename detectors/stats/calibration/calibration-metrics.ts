/**
 * Calibration metrics of a window of labelled predictions, computed from its
 * reliability bins alone (O(bins), whatever the traffic). A window without
 * predictions has no calibration: every metric is NaN, and the diagram empty.
 */

import type { BinStatistics } from './reliability-bins.js';

/** One row of a reliability diagram: a non-empty bin. */
export interface ReliabilityRow {
  /** The bin's lower and upper edge. */
  lower: number;
  upper: number;
  /** Mean confidence in the bin (scikit-learn's prob_pred). */
  meanConfidence: number;
  /** Share of the bin's predictions that were correct (scikit-learn's prob_true). */
  accuracy: number;
  count: number;
}

/** All the window's calibration metrics at once. */
export interface CalibrationSummary {
  count: number;
  accuracy: number;
  meanConfidence: number;
  ece: number;
  mce: number;
  brier: number;
}

/**
 * Expected calibration error: over non-empty bins, the bin's share of
 * predictions times |accuracy - mean confidence| in it. Computed as
 * sum |correct_b - sumConfidence_b| / N, the same sum with n_b cancelled.
 */
export function expectedCalibrationError(bins: BinStatistics): number {
  if (bins.total === 0) return Number.NaN;
  let gap = 0;
  for (let b = 0; b < bins.count.length; b++) gap += Math.abs(bins.correct[b]! - bins.sumConfidence[b]!);
  return gap / bins.total;
}

/** Maximum calibration error: the largest |accuracy - mean confidence| over non-empty bins. */
export function maximumCalibrationError(bins: BinStatistics): number {
  if (bins.total === 0) return Number.NaN;
  let max = 0;
  for (let b = 0; b < bins.count.length; b++) {
    const n = bins.count[b]!;
    if (n > 0) max = Math.max(max, Math.abs(bins.correct[b]! - bins.sumConfidence[b]!) / n);
  }
  return max;
}

/**
 * Brier score of the top label: mean of (confidence - correct)^2, as
 * `sklearn.metrics.brier_score_loss(correct, confidence)`. (Not the
 * multi-class Brier score over all intents, which needs every probability.)
 */
export function brierScore(bins: BinStatistics): number {
  return bins.total === 0 ? Number.NaN : bins.sumSquaredError / bins.total;
}

/** Share of predictions that were correct. */
export function accuracy(bins: BinStatistics): number {
  return bins.total === 0 ? Number.NaN : sum(bins.correct) / bins.total;
}

/**
 * Mean confidence: the accuracy the classifier's confidences promise. The
 * service reports it while labels have not come in, as the expected
 * accuracy; once they have, the gap to `accuracy` is the overall miscalibration.
 */
export function meanConfidence(bins: BinStatistics): number {
  return bins.total === 0 ? Number.NaN : sum(bins.sumConfidence) / bins.total;
}

/**
 * The reliability diagram: one row per non-empty bin, in bin order. Its
 * `accuracy` and `meanConfidence` columns are scikit-learn's
 * `calibration_curve` outputs (prob_true, prob_pred) for the same binning.
 */
export function reliabilityDiagram(bins: BinStatistics): ReliabilityRow[] {
  const rows: ReliabilityRow[] = [];
  for (let b = 0; b < bins.count.length; b++) {
    const count = bins.count[b]!;
    if (count === 0) continue;
    rows.push({
      lower: bins.edges[b]!,
      upper: bins.edges[b + 1]!,
      meanConfidence: bins.sumConfidence[b]! / count,
      accuracy: bins.correct[b]! / count,
      count,
    });
  }
  return rows;
}

/** Count, accuracy, mean confidence, ECE, MCE and Brier score of a window. */
export function calibrationSummary(bins: BinStatistics): CalibrationSummary {
  return {
    count: bins.total,
    accuracy: accuracy(bins),
    meanConfidence: meanConfidence(bins),
    ece: expectedCalibrationError(bins),
    mce: maximumCalibrationError(bins),
    brier: brierScore(bins),
  };
}

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}
