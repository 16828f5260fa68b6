/**
 * Bin edges for reliability bins on [0, 1], and the lookup of a confidence's
 * bin. Both follow scikit-learn's `calibration_curve` bit for bit, so that a
 * reliability diagram computed here can be checked against it: edges as
 * `np.linspace` and `np.percentile` compute them, and a confidence placed as
 * `np.searchsorted(edges[1:-1], confidence)` places it (side 'left'): bin 0
 * holds [edges[0], edges[1]], bin b > 0 holds (edges[b], edges[b + 1]].
 * A confidence below the first or above the last edge falls in the first or
 * last bin, which matters for edges frozen from a reference sample.
 */

/**
 * `n` equal-width bins on [0, 1]: edge i is `i * (1 / n)`, the last edge
 * exactly 1, as `np.linspace(0, 1, n + 1)` computes them (so 3/10 is
 * 0.30000000000000004 and a confidence of 0.3 lands in the bin below it,
 * as in scikit-learn).
 */
export function uniformEdges(n: number): number[] {
  checkBinCount(n);
  const step = 1 / n;
  const edges = Array.from({ length: n + 1 }, (_, i) => i * step);
  edges[n] = 1;
  return edges;
}

/**
 * `n` bins holding about equal numbers of the sample: the sample's
 * percentiles at 0, 100/n, ..., 100, as `np.percentile(sample,
 * np.linspace(0, 1, n + 1) * 100)` computes them (linear interpolation,
 * Hyndman and Fan's method 7, with numpy's rounding). Ties in the sample
 * can give equal edges, and so bins that stay empty.
 */
export function quantileEdges(sample: ArrayLike<number>, n: number): number[] {
  checkBinCount(n);
  if (sample.length === 0) throw new RangeError('quantile edges need a non-empty sample');
  const sorted = Float64Array.from(sample).sort();
  if (Number.isNaN(sorted[sorted.length - 1])) throw new RangeError('sample holds NaN');
  const last = sorted.length - 1;
  const step = 1 / n;
  const edges: number[] = [];
  for (let i = 0; i <= n; i++) {
    // numpy's percentile of linspace(0, 1, n + 1) * 100 divides by 100 again;
    // the same rounding is kept so that edges equal numpy's exactly.
    const q = i === n ? 1 : (i * step * 100) / 100;
    const virtual = last * q;
    if (virtual >= last) {
      edges.push(sorted[last]!);
      continue;
    }
    const below = Math.floor(virtual);
    edges.push(lerp(sorted[below]!, sorted[below + 1]!, virtual - below));
  }
  return edges;
}

/** numpy's `_lerp`: interpolates from the nearer end, so t = 1 gives b exactly. */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/**
 * The bin of `confidence` under `edges` (length bins + 1): the number of
 * inner edges strictly below it, found by binary search in O(log bins).
 */
export function searchBin(edges: ArrayLike<number>, confidence: number): number {
  // Lower bound over the inner edges edges[1 .. bins - 1].
  let lo = 1;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < confidence) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * The bin of `confidence` under `uniformEdges(bins)` in O(1): a first guess
 * from the arithmetic, then moved at most a step to agree with the computed
 * edges, whose rounding decides a confidence lying on an edge.
 */
export function uniformBin(edges: ArrayLike<number>, confidence: number): number {
  const bins = edges.length - 1;
  let b = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
  while (b > 0 && confidence <= edges[b]!) b--;
  while (b < bins - 1 && confidence > edges[b + 1]!) b++;
  return b;
}

/** Throws unless `edges` could bin confidences: at least two, in [0, 1], non-decreasing. */
export function checkEdges(edges: ArrayLike<number>): void {
  if (edges.length < 2) throw new RangeError('bin edges need at least two values');
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    if (!(e >= 0 && e <= 1)) throw new RangeError(`bin edge ${e} is outside [0, 1]`);
    if (i > 0 && e < edges[i - 1]!) throw new RangeError('bin edges must not decrease');
  }
}

function checkBinCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bin count must be a positive integer, not ${n}`);
}
