import { type Random, randomInt, seededRandom } from '../seeded-random.js';
import { assertDims, assertVector } from './vector-input.js';

/** Plain data for a {@link VectorReservoir}, safe to store as JSON (numbers round-trip exactly). */
export interface VectorReservoirSnapshot {
  dims: number;
  capacity: number;
  /** Vectors offered so far, kept or not. */
  seen: number;
  /** The kept vectors, `min(seen, capacity)` of them, each `dims` long. */
  vectors: number[][];
}

/**
 * A fixed-capacity uniform sample of the vectors seen (Algorithm R): after
 * `seen` vectors each one is in the sample with probability capacity/seen,
 * whatever the order they came in. Embedding drift compares two such samples
 * with a kernel test, whose cost grows with the square of the sample size, so
 * the sample is bounded while traffic is not.
 *
 * The vectors sit in one Float64Array of capacity x dims, allocated once, so
 * adding costs O(dims) and no garbage. The replacement draws come from a
 * seeded source, so a run can be reproduced.
 */
export class VectorReservoir {
  private readonly data: Float64Array;
  private count = 0;
  private offered = 0;
  private readonly random: Random;

  /**
   * @param dims length of every vector
   * @param capacity most vectors kept
   * @param seed seed of the source deciding which vectors are replaced
   */
  constructor(
    readonly dims: number,
    readonly capacity: number,
    seed: number,
  ) {
    assertDims(dims);
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.data = new Float64Array(capacity * dims);
    this.random = seededRandom(seed);
  }

  /** Vectors offered so far, kept or not. */
  get seen(): number {
    return this.offered;
  }

  /** Vectors held now: min(seen, capacity). */
  get size(): number {
    return this.count;
  }

  /**
   * Offers one vector: O(dims). Until the reservoir is full it is kept; after,
   * the n-th vector replaces a uniformly chosen slot with probability capacity/n.
   * The vector is copied, so the caller may reuse its buffer.
   *
   * @throws RangeError when the vector is not `dims` finite numbers
   */
  add(vector: ArrayLike<number>): void {
    assertVector(vector, this.dims);
    this.offered++;
    let slot: number;
    if (this.count < this.capacity) {
      slot = this.count++;
    } else {
      slot = randomInt(this.random, this.offered);
      if (slot >= this.capacity) return;
    }
    const base = slot * this.dims;
    for (let d = 0; d < this.dims; d++) this.data[base + d] = vector[d]!;
  }

  /**
   * The kept vectors, in slot order. They are views into one fresh copy, so
   * later `add` calls do not change them.
   */
  vectors(): Float64Array[] {
    const copy = this.data.slice(0, this.count * this.dims);
    const out: Float64Array[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = copy.subarray(i * this.dims, (i + 1) * this.dims);
    return out;
  }

  /** Empties the reservoir (the random source runs on). */
  clear(): void {
    this.count = 0;
    this.offered = 0;
  }

  /**
   * The reservoir as plain data. The state of the random source is not part of
   * it: Algorithm R stays uniform with any independent source of uniform draws,
   * so a restored reservoir keeps a uniform sample, though it will not make the
   * same replacements an uninterrupted one would have made.
   */
  toJSON(): VectorReservoirSnapshot {
    return {
      dims: this.dims,
      capacity: this.capacity,
      seen: this.offered,
      vectors: this.vectors().map((v) => Array.from(v)),
    };
  }

  /**
   * Restores a reservoir from {@link VectorReservoir.toJSON} output, drawing
   * its later replacements from a new source seeded with `seed`.
   *
   * @throws RangeError when the snapshot is not consistent (sizes, counts, non-finite numbers)
   */
  static fromJSON(snapshot: VectorReservoirSnapshot, seed: number): VectorReservoir {
    const r = new VectorReservoir(snapshot.dims, snapshot.capacity, seed);
    const { seen, vectors } = snapshot;
    if (!Number.isInteger(seen) || seen < 0) {
      throw new RangeError(`seen must be a non-negative integer, got ${seen}`);
    }
    if (vectors.length !== Math.min(seen, r.capacity)) {
      throw new RangeError(
        `a reservoir that has seen ${seen} vectors holds ${Math.min(seen, r.capacity)}, not ${vectors.length}`,
      );
    }
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i]!;
      assertVector(v, r.dims);
      r.data.set(v, i * r.dims);
    }
    r.count = vectors.length;
    r.offered = seen;
    return r;
  }
}
