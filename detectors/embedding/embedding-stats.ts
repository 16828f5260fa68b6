import { MeanVector } from '../stats/embedding/mean-vector.js';
import { VectorReservoir } from '../stats/embedding/reservoir.js';
import { assertVector } from '../stats/embedding/vector-input.js';
import type { Mergeable } from '../stats/reference-windows.js';
import { type Random, seededRandom } from '../stats/seeded-random.js';
import { mergeSamples, sampleOf, type UniformSample } from './merge-reservoirs.js';
import { packFloats, unpackFloats } from './packed-floats.js';

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
  /**
   * Seed a live sample (a VectorReservoir) was created with, null for a
   * read-only one: with its draws so far, max(0, seen - capacity), it is the
   * state of the reservoir's random source, which a snapshot must carry for a
   * restored reservoir to replace the same vectors an uninterrupted one would.
   */
  seed: number | null;
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
  /** Restarts the draws of merges from `seed`. */
  reseed(seed: number): void;
}

/**
 * A sample as plain JSON: a live reservoir with what its random source needs
 * (its capacity and seed), or a read-only sample. Vectors are packed (see
 * packFloats), min(capacity, seen) x dims numbers in slot order.
 */
type SampleJson =
  | { live: true; capacity: number; seed: number; seen: number; vectors: string }
  | { live: false; seen: number; vectors: string };
/** Sums packed too: dims numbers each. The dimension is the shape's, not repeated per sub-window. */
type StatsJson = { count: number; sums: string; sumSquares: string; sample: SampleJson | null };

/** mulberry32's state step (see seededRandom): each draw adds it to the 32-bit state. */
const MULBERRY32_STEP = 0x6d2b79f5;

/**
 * The seed of a fresh source that draws what a source seeded with `seed`
 * draws after its first `draws` draws. seededRandom (mulberry32) keeps one
 * 32-bit state that grows by a constant per draw, so skipping ahead is one
 * multiplication, where replaying the draws of a busy sub-window would take
 * one call per vector it saw. Tied to seededRandom's algorithm; a test pins it.
 */
export function seedAfterDraws(seed: number, draws: number): number {
  return (seed + Math.imul(draws >>> 0, MULBERRY32_STEP)) >>> 0;
}

function packVectors(vectors: readonly Float64Array[], dims: number): string {
  const flat = new Float64Array(vectors.length * dims);
  for (let i = 0; i < vectors.length; i++) flat.set(vectors[i]!, i * dims);
  return packFloats(flat);
}

function unpackVectors(text: string, count: number, dims: number): Float64Array[] {
  const flat = unpackFloats(text, count * dims);
  return Array.from({ length: count }, (_, i) => flat.subarray(i * dims, (i + 1) * dims));
}

function isCount(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0;
}

/** The sample of a sub-window or window as read-only data (a live reservoir's content is copied). */
export function windowSample(stats: EmbeddingStats): UniformSample | null {
  const s = stats.sample;
  return s instanceof VectorReservoir ? sampleOf(s) : s;
}

export function embeddingStatsOps(shape: EmbeddingStatsShape): EmbeddingStatsOps {
  let random: Random = seededRandom(shape.seed);
  const { dims, capacity } = shape;
  return {
    empty: () => ({ mean: new MeanVector(dims), sample: null, seed: null }),
    merge(into, from) {
      into.mean.merge(from.mean);
      const add = windowSample(from);
      if (add !== null) {
        const have = windowSample(into);
        into.sample = mergeSamples(have === null ? [add] : [have, add], capacity, random);
        into.seed = null;
      }
      return into;
    },
    toJSON(s): StatsJson {
      const sample = s.sample;
      let json: SampleJson | null = null;
      if (sample instanceof VectorReservoir) {
        if (s.seed === null) throw new RangeError('a live sample without its seed cannot be snapshotted');
        json = {
          live: true,
          capacity: sample.capacity,
          seed: s.seed,
          seen: sample.seen,
          vectors: packVectors(sample.vectors(), dims),
        };
      } else if (sample !== null) {
        json = { live: false, seen: sample.seen, vectors: packVectors(sample.vectors, dims) };
      }
      return {
        count: s.mean.count,
        sums: packFloats(s.mean.sums),
        sumSquares: packFloats(s.mean.sumSquares),
        sample: json,
      };
    },
    /** @throws RangeError when the data is not consistent with the shape (sizes, counts, non-finite numbers) */
    fromJSON(data) {
      const d = data as StatsJson;
      const mean = MeanVector.fromJSON({
        dims,
        count: d.count,
        sums: Array.from(unpackFloats(d.sums, dims)),
        sumSquares: Array.from(unpackFloats(d.sumSquares, dims)),
      });
      const s = d.sample;
      if (s === null) return { mean, sample: null, seed: null };
      if (!isCount(s.seen)) throw new RangeError(`seen must be a non-negative integer, got ${s.seen}`);
      if (s.live) {
        // A live reservoir smaller than the capacity still holds all it saw (addVector grows it first):
        // merges rely on every part holding min(capacity, seen).
        if (!isCount(s.capacity) || s.capacity > capacity || (s.capacity < capacity && s.seen > s.capacity)) {
          throw new RangeError(`a live sample of capacity ${s.capacity} that saw ${s.seen} vectors`);
        }
        if (!isCount(s.seed) || s.seed > 0xffff_ffff) throw new RangeError(`bad sample seed ${s.seed}`);
        const vectors = unpackVectors(s.vectors, Math.min(s.capacity, s.seen), dims);
        const reservoir = VectorReservoir.fromJSON(
          { dims, capacity: s.capacity, seen: s.seen, vectors: vectors.map((v) => Array.from(v)) },
          // Algorithm R draws once per vector past the capacity: the source carries on from there.
          seedAfterDraws(s.seed, Math.max(0, s.seen - s.capacity)),
        );
        return { mean, sample: reservoir, seed: s.seed };
      }
      const vectors = unpackVectors(s.vectors, Math.min(capacity, s.seen), dims);
      for (const v of vectors) assertVector(v, dims);
      return { mean, sample: { dims, seen: s.seen, vectors }, seed: null };
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
    stats.seed = seed;
  } else if (sample.capacity < capacity && sample.seen === sample.capacity) {
    const grownSeed = mixSeed(seed, sample.capacity);
    const grown = new VectorReservoir(stats.mean.dims, Math.min(2 * sample.capacity, capacity), grownSeed);
    for (const v of sample.vectors()) grown.add(v);
    sample = grown;
    stats.seed = grownSeed;
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
