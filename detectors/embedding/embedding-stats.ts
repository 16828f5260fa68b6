import { MeanVector, type MeanVectorSnapshot } from '../stats/embedding/mean-vector.js';
import { VectorReservoir, type VectorReservoirSnapshot } from '../stats/embedding/reservoir.js';
import { assertVector } from '../stats/embedding/vector-input.js';
import type { Mergeable } from '../stats/reference-windows.js';
import { type Random, randomInt, seededRandom } from '../stats/seeded-random.js';
import { mergeSamples, sampleOf, type UniformSample } from './merge-reservoirs.js';

/**
 * What one sub-window (or a merged window) keeps of the embeddings it saw:
 * the per-component sums of every vector (the means and spreads the cosine
 * distance and the drifted components are read from) and a uniform sample of
 * min(capacity, seen) of them (what the MMD test compares). A live
 * sub-window's sample is a reservoir that events add to; a merged window's is
 * a read-only sample.
 */
export interface EmbeddingStats {
  mean: MeanVector;
  /** Null until the first vector. */
  sample: VectorReservoir | UniformSample | null;
}

export interface EmbeddingStatsShape {
  dims: number;
  /** Vectors sampled per window side. */
  capacity: number;
  seed: number;
}

/** A live sub-window's reservoir starts this small and doubles while it still holds every vector it saw. */
const FIRST_CAPACITY = 16;

/** The merge of EmbeddingStats, and the source of its random draws, which a caller reseeds to reproduce them. */
export interface EmbeddingStatsOps extends Mergeable<EmbeddingStats> {
  /** Restarts the draws of merges and restores from `seed`. */
  reseed(seed: number): void;
}

type SampleJson = { reservoir: VectorReservoirSnapshot } | { seen: number; vectors: number[][] };
type StatsJson = { mean: MeanVectorSnapshot; sample: SampleJson | null };

/** The sample of a sub-window or window as read-only data (a live reservoir's content is copied). */
export function windowSample(stats: EmbeddingStats): UniformSample | null {
  const s = stats.sample;
  return s instanceof VectorReservoir ? sampleOf(s) : s;
}

export function embeddingStatsOps(shape: EmbeddingStatsShape): EmbeddingStatsOps {
  let random: Random = seededRandom(shape.seed);
  return {
    empty: () => ({ mean: new MeanVector(shape.dims), sample: null }),
    merge(into, from) {
      into.mean.merge(from.mean);
      const add = windowSample(from);
      if (add !== null) {
        const have = windowSample(into);
        into.sample = mergeSamples(have === null ? [add] : [have, add], shape.capacity, random);
      }
      return into;
    },
    toJSON(s): StatsJson {
      const sample = s.sample;
      return {
        mean: s.mean.toJSON(),
        sample:
          sample === null
            ? null
            : sample instanceof VectorReservoir
              ? { reservoir: sample.toJSON() }
              : { seen: sample.seen, vectors: sample.vectors.map((v) => Array.from(v)) },
      };
    },
    fromJSON(data) {
      const d = data as StatsJson;
      const mean = MeanVector.fromJSON(d.mean);
      const s = d.sample;
      if (s === null) return { mean, sample: null };
      if ('reservoir' in s) {
        return { mean, sample: VectorReservoir.fromJSON(s.reservoir, randomInt(random, 4_294_967_296)) };
      }
      if (!(s.vectors.length === Math.min(shape.capacity, s.seen))) {
        throw new RangeError(`a sample of ${s.seen} vectors holds ${s.vectors.length}`);
      }
      for (const v of s.vectors) assertVector(v, mean.dims);
      return {
        mean,
        sample: { dims: mean.dims, seen: s.seen, vectors: s.vectors.map((v) => Float64Array.from(v)) },
      };
    },
    reseed(seed) {
      random = seededRandom(seed);
    },
  };
}

/**
 * Adds one vector (already checked: `dims` finite numbers) to a live
 * sub-window: O(dims), plus an amortized O(dims) while its sample grows.
 * A sample that has kept every vector it saw is the same uniform sample in a
 * larger reservoir, so a quiet sub-window holds only what it saw instead of
 * `capacity` x dims numbers from its first vector on.
 *
 * @param seed seed of the sub-window's sample (a grown sample derives its own from it)
 */
export function addVector(
  stats: EmbeddingStats,
  vector: ArrayLike<number>,
  capacity: number,
  seed: number,
): void {
  let sample = stats.sample;
  if (sample !== null && !(sample instanceof VectorReservoir)) {
    throw new RangeError('a merged window is read, not added to');
  }
  if (sample === null) {
    sample = new VectorReservoir(stats.mean.dims, Math.min(FIRST_CAPACITY, capacity), seed);
  } else if (sample.capacity < capacity && sample.seen === sample.capacity) {
    const grown = new VectorReservoir(
      stats.mean.dims,
      Math.min(2 * sample.capacity, capacity),
      mixSeed(seed, sample.capacity),
    );
    for (const v of sample.vectors()) grown.add(v);
    sample = grown;
  }
  stats.sample = sample;
  sample.add(vector);
  stats.mean.add(vector);
}

/**
 * A 32-bit seed from a seed and a non-negative integer (a sub-window index,
 * up to 2^53): draws keyed by the sub-window, not by the order of calls, so
 * a window's verdict does not depend on when it was evaluated before.
 */
export function mixSeed(seed: number, n: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const word of [n >>> 0, Math.floor(n / 4_294_967_296) >>> 0]) {
    h = Math.imul(h ^ word, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}
