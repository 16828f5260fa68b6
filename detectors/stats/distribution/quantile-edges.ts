/**
 * Frozen bin edges for a numeric attribute, and the lookup of a value's bin.
 *
 * Edges are taken once from a reference sample and then kept, so each event
 * costs one binary search over k + 1 edges, O(log k), and every window's
 * counts are comparable bin for bin.
 */

/**
 * Edges of `bins` equal-count bins of `sample`: its quantiles at 0, 1/k, ...,
 * 1, by numpy.quantile's default method 'linear' (Hyndman & Fan type 7: the
 * value at position q·(n - 1) of the sorted sample, interpolated between its
 * neighbours as numpy 1.24 interpolates), with repeated values kept once. A
 * sample with many equal values therefore gives fewer bins than asked (one
 * edge, and a single bin, for a constant sample). The first and last edges are
 * the sample's minimum and maximum; in use the outer bins are open-ended (see
 * binIndex).
 *
 * A RangeError for an empty sample, a non-finite value, or bins not a
 * positive integer.
 */
export function quantileEdges(sample: readonly number[], bins: number): number[] {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`quantile edges: ${bins} bins`);
  if (sample.length === 0) throw new RangeError('quantile edges: the sample is empty');
  const sorted = Float64Array.from(sample);
  for (const v of sorted) {
    if (!Number.isFinite(v)) throw new RangeError(`quantile edges: the sample holds ${v}`);
  }
  sorted.sort();
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const edge = quantileOfSorted(sorted, i / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return edges;
}

/** numpy.quantile(sorted, q) with method 'linear', for q in [0, 1]. */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  if (position >= sorted.length - 1) return sorted[sorted.length - 1]!;
  const below = Math.floor(position);
  const t = position - below;
  const a = sorted[below]!;
  const b = sorted[below + 1]!;
  // numpy's _lerp: from the nearer end, so t = 1 gives b exactly and the result stays monotone.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/** How many bins a list of edges makes: one fewer than the edges, and one for a single edge. */
export function binCount(edges: readonly number[]): number {
  return Math.max(1, edges.length - 1);
}

/**
 * The bin of `x` among frozen edges: bin i holds [edges[i], edges[i+1]), the
 * last bin also its upper edge; a value below the first edge falls in the
 * first bin and one above the last edge in the last, so a window's values
 * outside the reference's range still count. By binary search, O(log k).
 * A RangeError for NaN, which has no bin.
 */
export function binIndex(edges: readonly number[], x: number): number {
  if (Number.isNaN(x)) throw new RangeError('bin index: NaN has no bin');
  const last = binCount(edges) - 1;
  // The number of edges <= x, less one: numpy.searchsorted(edges, x, 'right') - 1.
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(last, Math.max(0, lo - 1));
}
