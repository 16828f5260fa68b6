import type { MeanVector } from './mean-vector.js';
import { type MmdOptions, type MmdResult, mmdPermutationTest } from './mmd.js';

/** One window of embeddings as the drift measures read it. */
export interface EmbeddingWindow {
  /** A uniform sample of the window's vectors (a reservoir), at least 2 of them. */
  sample: readonly ArrayLike<number>[];
  /** Sums over every vector of the window, not just the sample. */
  mean: MeanVector;
}

/** Options for {@link embeddingDrift}. */
export interface EmbeddingDriftOptions extends MmdOptions {
  /** A component has drifted when its standardized mean difference exceeds this. Default 0.1. */
  componentThreshold?: number;
}

/** The three embedding drift measures between a reference and a current window. */
export interface EmbeddingDrift {
  /** MMD^2 between the two samples and its permutation p-value. */
  mmd: MmdResult;
  /** 1 - cos of the angle between the two mean vectors (see {@link meanCosineDistance}). */
  meanCosineDistance: number;
  /** Components whose standardized mean difference exceeds the threshold. */
  driftedComponents: number;
  /** driftedComponents / dims. */
  driftedComponentShare: number;
  /** The threshold applied. */
  componentThreshold: number;
}

/**
 * Measures embedding drift three ways, each catching what the others can
 * miss: MMD^2 with an RBF kernel sees any change of the distribution (shape,
 * spread, clusters) but only on the two samples; the cosine distance of the
 * means sees a change of the average direction; the share of drifted
 * components says how widespread a shift of the means is. The last two come
 * from the MeanVector sums over every event of each window: those are O(dims)
 * sufficient statistics, exact for the whole window, where a test per
 * component on a few hundred sampled vectors would be noisy and, at 384
 * components, would flag some by chance at any fixed level.
 *
 * Meant to run on a timer: its cost is that of {@link mmdPermutationTest}.
 *
 * @throws RangeError when the dimensions differ, a sample has fewer than 2 vectors or a window has no vector
 */
export function embeddingDrift(
  reference: EmbeddingWindow,
  current: EmbeddingWindow,
  options: EmbeddingDriftOptions = {},
): EmbeddingDrift {
  const { componentThreshold = 0.1, ...mmdOptions } = options;
  const dims = reference.mean.dims;
  for (const v of [...reference.sample, ...current.sample]) {
    if (v.length !== dims) {
      throw new RangeError(`sample vector of ${v.length} dimensions in a ${dims}-dimension window`);
    }
  }
  const drifted = driftedComponents(reference.mean, current.mean, componentThreshold);
  return {
    mmd: mmdPermutationTest(reference.sample, current.sample, mmdOptions),
    meanCosineDistance: meanCosineDistance(reference.mean, current.mean),
    driftedComponents: drifted,
    driftedComponentShare: drifted / dims,
    componentThreshold,
  };
}

/**
 * Cosine distance between the mean vectors, 1 - u.v / (|u| |v|), as
 * `scipy.spatial.distance.cosine` computes it: the absolute value of that
 * difference, at most 2. NaN when either mean is the zero vector, whose
 * direction is undefined (scipy's clamp turns its NaN into 0 there, which
 * would read as "no drift").
 *
 * @throws RangeError when the dimensions differ or a window has no vector
 */
export function meanCosineDistance(reference: MeanVector, current: MeanVector): number {
  assertComparable(reference, current);
  const u = reference.mean();
  const v = current.mean();
  // Cosine is unchanged by scaling either vector; scaling each by its largest
  // component keeps the products from underflowing or overflowing.
  let maxU = 0;
  let maxV = 0;
  for (let d = 0; d < u.length; d++) {
    maxU = Math.max(maxU, Math.abs(u[d]!));
    maxV = Math.max(maxV, Math.abs(v[d]!));
  }
  if (maxU === 0 || maxV === 0) return Number.NaN;
  let uv = 0;
  let uu = 0;
  let vv = 0;
  for (let d = 0; d < u.length; d++) {
    const a = u[d]! / maxU;
    const b = v[d]! / maxV;
    uv += a * b;
    uu += a * a;
    vv += b * b;
  }
  return Math.min(Math.abs(1 - uv / Math.sqrt(uu * vv)), 2);
}

/**
 * Per-component standardized mean differences
 * |mean_cur - mean_ref| / s_pooled, with the pooled standard deviation
 * s_pooled^2 = (SS_ref + SS_cur) / (n_ref + n_cur - 2), SS being the sum of
 * squared deviations from the window's own mean (Cohen's d, unsigned). A
 * component with s_pooled 0 gets 0 when its means are equal and Infinity when
 * they differ.
 *
 * @throws RangeError when the dimensions differ, a window has no vector, or there are fewer than 3 vectors in all
 */
export function standardizedMeanDifferences(reference: MeanVector, current: MeanVector): Float64Array {
  assertComparable(reference, current);
  const df = reference.count + current.count - 2;
  if (df < 1) throw new RangeError('a pooled standard deviation needs at least 3 vectors in all');
  const mr = reference.mean();
  const mc = current.mean();
  const ssr = reference.squaredDeviations();
  const ssc = current.squaredDeviations();
  const out = new Float64Array(reference.dims);
  for (let d = 0; d < out.length; d++) {
    const diff = Math.abs(mc[d]! - mr[d]!);
    const sd = Math.sqrt((ssr[d]! + ssc[d]!) / df);
    out[d] = diff === 0 ? 0 : diff / sd;
  }
  return out;
}

/**
 * Number of components whose {@link standardizedMeanDifferences standardized
 * mean difference} is strictly greater than `threshold` (default 0.1, a small
 * effect by Cohen's scale: large windows make even that certain, so the
 * threshold, not a p-value, decides).
 */
export function driftedComponents(reference: MeanVector, current: MeanVector, threshold = 0.1): number {
  if (!(threshold >= 0)) throw new RangeError(`threshold must be >= 0, got ${threshold}`);
  let drifted = 0;
  for (const smd of standardizedMeanDifferences(reference, current)) if (smd > threshold) drifted++;
  return drifted;
}

function assertComparable(reference: MeanVector, current: MeanVector): void {
  if (reference.dims !== current.dims) {
    throw new RangeError(`cannot compare ${reference.dims} dimensions with ${current.dims}`);
  }
  if (reference.count === 0 || current.count === 0) throw new RangeError('a window holds no vector');
}
