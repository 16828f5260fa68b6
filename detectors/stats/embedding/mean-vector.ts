import { assertDims, assertVector } from './vector-input.js';

/** Plain data for a {@link MeanVector}, safe to store as JSON (numbers round-trip exactly). */
export interface MeanVectorSnapshot {
  dims: number;
  count: number;
  sums: number[];
  sumSquares: number[];
}

/**
 * Running per-component sums and sums of squares of every vector seen. These
 * are sufficient statistics for the mean vector and the per-component
 * variances, cost O(dims) per vector, and add up: two accumulators (two
 * sub-windows, two replicas) merge by adding their fields, which a Welford
 * update would not allow as simply.
 *
 * The price of plain sums of squares is cancellation when a component's mean
 * is large beside its spread (relative error of the variance about
 * 1e-16 * mean^2 / variance); embedding components are centred near zero with
 * spreads of the same order as their means, so this stays far below what
 * drift thresholds can see.
 */
export class MeanVector {
  /** Per-component sum of the values seen. */
  readonly sums: Float64Array;
  /** Per-component sum of the squared values seen. */
  readonly sumSquares: Float64Array;
  private n = 0;

  constructor(readonly dims: number) {
    assertDims(dims);
    this.sums = new Float64Array(dims);
    this.sumSquares = new Float64Array(dims);
  }

  /** Vectors added (including those merged in). */
  get count(): number {
    return this.n;
  }

  /**
   * Adds one vector: O(dims).
   *
   * @throws RangeError when the vector is not `dims` finite numbers (nothing is added then)
   */
  add(vector: ArrayLike<number>): void {
    assertVector(vector, this.dims);
    for (let d = 0; d < this.dims; d++) {
      const x = vector[d]!;
      this.sums[d]! += x;
      this.sumSquares[d]! += x * x;
    }
    this.n++;
  }

  /** Adds `other`'s vectors to this accumulator, as if each had been added here. */
  merge(other: MeanVector): this {
    if (other.dims !== this.dims) {
      throw new RangeError(`cannot merge ${other.dims} dimensions into ${this.dims}`);
    }
    for (let d = 0; d < this.dims; d++) {
      this.sums[d]! += other.sums[d]!;
      this.sumSquares[d]! += other.sumSquares[d]!;
    }
    this.n += other.n;
    return this;
  }

  /**
   * The mean vector.
   *
   * @throws RangeError when no vector has been added
   */
  mean(): Float64Array {
    if (this.n === 0) throw new RangeError('the mean of no vectors is undefined');
    const out = new Float64Array(this.dims);
    for (let d = 0; d < this.dims; d++) out[d] = this.sums[d]! / this.n;
    return out;
  }

  /**
   * Per-component sums of squared deviations from the mean,
   * sum (x - mean)^2 = sumSquares - sums^2 / count, clamped at zero where
   * rounding would make it negative. Divided by count - 1 it is the sample
   * variance; pooled across windows it needs no division at all.
   */
  squaredDeviations(): Float64Array {
    const out = new Float64Array(this.dims);
    if (this.n === 0) return out;
    for (let d = 0; d < this.dims; d++) {
      const s = this.sums[d]!;
      out[d] = Math.max(0, this.sumSquares[d]! - (s * s) / this.n);
    }
    return out;
  }

  /**
   * Per-component variance with `ddof` degrees of freedom removed (1: the
   * sample variance, numpy's `var(ddof=1)`; 0: the population variance).
   *
   * @throws RangeError when count - ddof is not positive
   */
  variance(ddof = 1): Float64Array {
    const denom = this.n - ddof;
    if (!(denom > 0)) throw new RangeError(`variance needs more than ${ddof} vectors, has ${this.n}`);
    const out = this.squaredDeviations();
    for (let d = 0; d < this.dims; d++) out[d]! /= denom;
    return out;
  }

  /** Forgets every vector. */
  clear(): void {
    this.sums.fill(0);
    this.sumSquares.fill(0);
    this.n = 0;
  }

  /** The accumulator as plain data. */
  toJSON(): MeanVectorSnapshot {
    return {
      dims: this.dims,
      count: this.n,
      sums: Array.from(this.sums),
      sumSquares: Array.from(this.sumSquares),
    };
  }

  /**
   * Restores an accumulator from {@link MeanVector.toJSON} output.
   *
   * @throws RangeError when the snapshot is not consistent
   */
  static fromJSON(snapshot: MeanVectorSnapshot): MeanVector {
    const m = new MeanVector(snapshot.dims);
    if (!Number.isInteger(snapshot.count) || snapshot.count < 0) {
      throw new RangeError(`count must be a non-negative integer, got ${snapshot.count}`);
    }
    assertVector(snapshot.sums, m.dims);
    assertVector(snapshot.sumSquares, m.dims);
    m.sums.set(snapshot.sums);
    m.sumSquares.set(snapshot.sumSquares);
    m.n = snapshot.count;
    return m;
  }
}
