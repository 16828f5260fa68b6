import type { VectorReservoir } from '../stats/embedding/reservoir.js';
import { type Random, randomInt } from '../stats/seeded-random.js';

/**
 * A uniform sample of the `seen` vectors something saw, read-only: a
 * reservoir's content at one moment, or the merge of several. Its vectors are
 * never written again, so merges pass them on without copying them again.
 */
export interface UniformSample {
  readonly dims: number;
  readonly seen: number;
  readonly vectors: readonly Float64Array[];
}

/** A reservoir's content as a sample: a copy, so later additions to the reservoir do not change it. */
export function sampleOf(r: VectorReservoir): UniformSample {
  return { dims: r.dims, seen: r.seen, vectors: r.vectors() };
}

/**
 * One uniform sample of at most `capacity` vectors out of several uniform
 * samples (the reservoirs of the sub-windows a window is made of), uniform
 * over every vector they saw, as if one reservoir had seen them all.
 *
 * A uniform sample of k out of the seen_1 + ... + seen_m vectors takes from
 * part i a hypergeometric number of them: k draws without replacement, each
 * from a part with probability (its seen not yet drawn) / (all seen not yet
 * drawn). Given those counts, each part's share is a uniform subset of its
 * vectors, and a uniform subset of a uniform sample is a uniform subset of
 * what the sample came from. So each part's count is drawn first, then that
 * many of its kept vectors, without replacement.
 *
 * This is exact as long as every part holds min(capacity, seen) vectors: a
 * part never has to give more than it kept.
 *
 * The result holds k = min(capacity, total seen) vectors, copied into one
 * buffer of k x dims numbers, so it keeps no part's buffer alive. Costs
 * O(k x parts) draws and O(k x dims) copies.
 *
 * @throws RangeError when there are no parts, they differ in dimension, or one kept fewer than min(capacity, seen)
 */
export function mergeSamples(
  parts: readonly UniformSample[],
  capacity: number,
  random: Random,
): UniformSample {
  if (parts.length === 0) throw new RangeError('nothing to merge');
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }
  const dims = parts[0]!.dims;
  let total = 0;
  for (const p of parts) {
    if (p.dims !== dims) throw new RangeError(`cannot merge ${p.dims} dimensions with ${dims}`);
    if (p.vectors.length < Math.min(capacity, p.seen)) {
      throw new RangeError(
        `a sample of ${p.seen} vectors that kept ${p.vectors.length} cannot give a uniform sample of ${capacity}`,
      );
    }
    total += p.seen;
  }
  const k = Math.min(capacity, total);

  const rest = parts.map((p) => p.seen);
  const counts = parts.map(() => 0);
  let left = total;
  for (let draw = 0; draw < k; draw++) {
    let r = randomInt(random, left);
    let i = 0;
    while (r >= rest[i]!) r -= rest[i++]!;
    rest[i]!--;
    counts[i]!++;
    left--;
  }

  const data = new Float64Array(k * dims);
  const vectors: Float64Array[] = [];
  parts.forEach((p, i) => {
    const kept = p.vectors.slice();
    // The first counts[i] places of a partial Fisher-Yates shuffle: a uniform subset.
    for (let j = 0; j < counts[i]!; j++) {
      const pick = j + randomInt(random, kept.length - j);
      const chosen = kept[pick]!;
      kept[pick] = kept[j]!;
      kept[j] = chosen;
      const at = vectors.length * dims;
      data.set(chosen, at);
      vectors.push(data.subarray(at, at + dims));
    }
  });
  return { dims, seen: total, vectors };
}
