import { checkEdges, quantileEdges, searchBin, uniformBin, uniformEdges } from './bin-edges.js';

/**
 * How a reliability-bins accumulator places confidences: `uniform` in equal
 * widths on [0, 1] (looked up in O(1)), `frozen` under given edges, for
 * instance quantiles of a reference sample (looked up by binary search).
 */
export type Binning = 'uniform' | 'frozen';

/**
 * The sufficient statistics of top-label calibration over a window: per bin
 * the number of predictions, the sum of their confidences and the number
 * that turned out correct, plus the sum of squared errors
 * (confidence - correct)^2 over all of them. Every calibration metric here
 * is computed from these alone.
 */
export interface BinStatistics {
  /** Bin edges, one more than the bins. */
  readonly edges: ArrayLike<number>;
  readonly count: ArrayLike<number>;
  readonly sumConfidence: ArrayLike<number>;
  readonly correct: ArrayLike<number>;
  readonly sumSquaredError: number;
  /** Predictions over all bins. */
  readonly total: number;
}

/** A reliability-bins accumulator as plain data, to store a window and restore it. */
export interface ReliabilityBinsJSON {
  binning: Binning;
  edges: number[];
  count: number[];
  sumConfidence: number[];
  correct: number[];
  sumSquaredError: number;
}

/**
 * A mergeable accumulator of reliability bins. A labelled prediction costs
 * one bin lookup and four additions, so it can be fed per event; windows
 * (sub-windows, replicas) with the same edges merge by adding their bins.
 */
export class ReliabilityBins implements BinStatistics {
  readonly count: Float64Array;
  readonly sumConfidence: Float64Array;
  readonly correct: Float64Array;
  sumSquaredError = 0;
  total = 0;

  private constructor(
    readonly binning: Binning,
    readonly edges: readonly number[],
  ) {
    const bins = edges.length - 1;
    this.count = new Float64Array(bins);
    this.sumConfidence = new Float64Array(bins);
    this.correct = new Float64Array(bins);
  }

  /**
   * `bins` equal-width bins on [0, 1] with scikit-learn's edges
   * (`calibration_curve(strategy='uniform')`); a confidence of 1 falls in
   * the last bin, one on an inner edge in the bin below it.
   */
  static uniform(bins: number): ReliabilityBins {
    return new ReliabilityBins('uniform', Object.freeze(uniformEdges(bins)));
  }

  /**
   * `bins` bins of about equal count over a reference sample's confidences
   * (`calibration_curve(strategy='quantile')`), frozen so that later windows
   * are binned the same way. The outer edges are widened to 0 and 1: the
   * outer bins take anything beyond them anyway, and the diagram should say
   * so. Bin placement is unchanged by this, since only inner edges decide it.
   */
  static quantile(referenceConfidences: ArrayLike<number>, bins: number): ReliabilityBins {
    const edges = quantileEdges(referenceConfidences, bins);
    edges[0] = 0;
    edges[bins] = 1;
    return ReliabilityBins.frozen(edges);
  }

  /** Bins under the given edges (at least two, in [0, 1], non-decreasing), kept as they are. */
  static frozen(edges: ArrayLike<number>): ReliabilityBins {
    checkEdges(edges);
    return new ReliabilityBins('frozen', Object.freeze(Array.from(edges)));
  }

  /** Restores an accumulator written by `toJSON`, checking that its arrays fit together. */
  static fromJSON(json: ReliabilityBinsJSON): ReliabilityBins {
    const bins =
      json.binning === 'uniform'
        ? ReliabilityBins.uniform(json.edges.length - 1)
        : ReliabilityBins.frozen(json.edges);
    if (json.binning === 'uniform' && !sameEdges(bins.edges, json.edges)) {
      throw new RangeError('stored uniform edges differ from the computed ones');
    }
    const n = bins.count.length;
    if (json.count.length !== n || json.sumConfidence.length !== n || json.correct.length !== n) {
      throw new RangeError('stored bin arrays do not match the edges');
    }
    bins.count.set(json.count);
    bins.sumConfidence.set(json.sumConfidence);
    bins.correct.set(json.correct);
    bins.sumSquaredError = json.sumSquaredError;
    bins.total = json.count.reduce((s, c) => s + c, 0);
    return bins;
  }

  /** An empty accumulator with the same edges, e.g. to start a sub-window. */
  emptyCopy(): ReliabilityBins {
    return new ReliabilityBins(this.binning, this.edges);
  }

  /** The bin a confidence falls in. */
  binOf(confidence: number): number {
    return this.binning === 'uniform'
      ? uniformBin(this.edges, confidence)
      : searchBin(this.edges, confidence);
  }

  /** Counts one labelled prediction: its confidence in [0, 1] and whether the label matched it. */
  add(confidence: number, correct: boolean): void {
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new RangeError(`confidence ${confidence} is outside [0, 1]`);
    }
    const b = this.binOf(confidence);
    const y = correct ? 1 : 0;
    this.count[b]!++;
    this.sumConfidence[b]! += confidence;
    this.correct[b]! += y;
    this.sumSquaredError += (confidence - y) ** 2;
    this.total++;
  }

  /** Adds another window's bins into this one; the edges must be the same. Returns this. */
  merge(other: BinStatistics): this {
    if (!sameEdges(this.edges, other.edges)) throw new RangeError('cannot merge bins with different edges');
    for (let b = 0; b < this.count.length; b++) {
      this.count[b]! += other.count[b]!;
      this.sumConfidence[b]! += other.sumConfidence[b]!;
      this.correct[b]! += other.correct[b]!;
    }
    this.sumSquaredError += other.sumSquaredError;
    this.total += other.total;
    return this;
  }

  /** The accumulator as plain data (arrays and numbers), for a snapshot. */
  toJSON(): ReliabilityBinsJSON {
    return {
      binning: this.binning,
      edges: [...this.edges],
      count: Array.from(this.count),
      sumConfidence: Array.from(this.sumConfidence),
      correct: Array.from(this.correct),
      sumSquaredError: this.sumSquaredError,
    };
  }
}

/** Whether two windows were binned alike, edge for edge. */
export function sameEdges(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
