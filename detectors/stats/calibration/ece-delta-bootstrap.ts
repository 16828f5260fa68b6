/**
 * Has a classifier's calibration got worse? Compares the current window's
 * expected calibration error (ECE) with the reference window's, with a
 * bootstrap interval for the difference drawn from the two windows' bins
 * alone, so its cost depends on bins and resamples, not on traffic.
 *
 * One resample of a window keeps its size N and redraws, in order:
 * - the bin counts, multinomially over bins with the observed shares n_b / N;
 * - the correct predictions per bin, binomially from the new count with the
 *   bin's observed accuracy.
 * Each bin's mean confidence is kept at the observed one: the bins do not
 * hold individual confidences to redraw. This leaves out the variation of a
 * bin's mean confidence between resamples, which is small next to that of
 * its accuracy (confidences within a bin spread at most a bin's width, while
 * correctness is 0 or 1), so the interval is a little narrow for very wide bins.
 */

import { type Random, seededRandom } from '../seeded-random.js';
import { sampleBinomial, sampleMultinomial } from './binomial-sampler.js';
import { expectedCalibrationError } from './calibration-metrics.js';
import { type BinStatistics, sameEdges } from './reliability-bins.js';

/** Settings of `eceDeltaBootstrap`. */
export interface EceDeltaOptions {
  /** The ECE increase that counts as drift: `exceeds` when the interval lies above it. Default 0. */
  threshold?: number;
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
  /** The interval's level is 1 - alpha. Default 0.05. */
  alpha?: number;
  /** Seed of the random source, so a verdict can be reproduced. Default 1. */
  seed?: number;
  /** A random source to use instead of one seeded with `seed`. */
  random?: Random;
}

/** ECE of both windows, their difference and its bootstrap interval. */
export interface EceDelta {
  eceReference: number;
  eceCurrent: number;
  /** eceCurrent - eceReference. */
  delta: number;
  /** Percentile bootstrap interval of delta at level 1 - alpha. */
  lower: number;
  upper: number;
  /** Resamples drawn: 0 when a window was empty and none were. */
  resamples: number;
  /** Whether the whole interval lies above the threshold: calibration got worse by more than it. */
  exceeds: boolean;
}

/**
 * Whether the current window's ECE exceeds the reference's by more than
 * `threshold`, with a percentile bootstrap interval (numpy's linear
 * interpolation between order statistics) for the difference. Both windows
 * must be binned alike. When either window is empty there is nothing to
 * compare: the ECEs it lacks, delta and the interval are NaN and `exceeds` is false.
 */
export function eceDeltaBootstrap(
  reference: BinStatistics,
  current: BinStatistics,
  options: EceDeltaOptions = {},
): EceDelta {
  const { threshold = 0, resamples = 1000, alpha = 0.05, seed = 1 } = options;
  if (!sameEdges(reference.edges, current.edges)) {
    throw new RangeError('reference and current windows must be binned with the same edges');
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a positive integer, not ${resamples}`);
  }
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), not ${alpha}`);

  const eceReference = expectedCalibrationError(reference);
  const eceCurrent = expectedCalibrationError(current);
  const delta = eceCurrent - eceReference;
  if (reference.total === 0 || current.total === 0) {
    return { eceReference, eceCurrent, delta, lower: NaN, upper: NaN, resamples: 0, exceeds: false };
  }

  const random = options.random ?? seededRandom(seed);
  const ref = new Resampler(reference);
  const cur = new Resampler(current);
  const deltas = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) deltas[r] = cur.ece(random) - ref.ece(random);
  deltas.sort();
  const lower = sortedQuantile(deltas, alpha / 2);
  const upper = sortedQuantile(deltas, 1 - alpha / 2);
  return { eceReference, eceCurrent, delta, lower, upper, resamples, exceeds: lower > threshold };
}

/** Redraws one window's bins, reusing its buffers between resamples. */
class Resampler {
  private readonly meanConfidence: Float64Array;
  private readonly accuracy: Float64Array;
  private readonly counts: Float64Array;

  constructor(private readonly bins: BinStatistics) {
    const n = bins.count.length;
    this.meanConfidence = new Float64Array(n);
    this.accuracy = new Float64Array(n);
    this.counts = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      const c = bins.count[b]!;
      if (c > 0) {
        this.meanConfidence[b] = bins.sumConfidence[b]! / c;
        this.accuracy[b] = bins.correct[b]! / c;
      }
    }
  }

  /** ECE of one resample: sum over bins of |correct* - n* x mean confidence| / N. */
  ece(random: Random): number {
    const total = this.bins.total;
    sampleMultinomial(random, total, this.bins.count, this.counts);
    let gap = 0;
    for (let b = 0; b < this.counts.length; b++) {
      const n = this.counts[b]!;
      if (n === 0) continue;
      const correct = sampleBinomial(random, n, this.accuracy[b]!);
      gap += Math.abs(correct - n * this.meanConfidence[b]!);
    }
    return gap / total;
  }
}

/** The q-quantile of sorted values, interpolating linearly between order statistics (numpy's default). */
function sortedQuantile(sorted: Float64Array, q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}
