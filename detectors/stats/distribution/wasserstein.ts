/**
 * The 1-D Wasserstein-1 (earth mover's) distance: the area between two CDFs,
 * ∫ |F(x) - G(x)| dx, in the attribute's own unit; and a normed form that
 * divides it by the reference's spread so one threshold fits every attribute.
 */

/**
 * Between two samples, as `scipy.stats.wasserstein_distance(u, v, uWeights,
 * vWeights)`: the empirical CDFs are steps, so the integral is a sum over the
 * gaps between consecutive pooled values. Optional weights (one per value,
 * non-negative, not all 0) make each CDF step by the value's share of its
 * sample's weight instead of 1/n. A RangeError for an empty sample, a
 * non-finite value, or weights that do not fit.
 */
export function wassersteinDistance(
  u: readonly number[],
  v: readonly number[],
  uWeights?: readonly number[],
  vWeights?: readonly number[],
): number {
  const x = weightedSample(u, uWeights, 'first');
  const y = weightedSample(v, vWeights, 'second');
  const all = new Float64Array(u.length + v.length);
  all.set(x.values);
  all.set(y.values, u.length);
  all.sort();
  let i = 0;
  let j = 0;
  let area = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const at = all[k]!;
    while (i < x.values.length && x.values[i]! <= at) i++;
    while (j < y.values.length && y.values[j]! <= at) j++;
    area += Math.abs(x.cdf(i) - y.cdf(j)) * (all[k + 1]! - at);
  }
  return area;
}

interface Sample {
  values: Float64Array;
  /** The CDF after the first `count` sorted values. */
  cdf: (count: number) => number;
}

function weightedSample(
  values: readonly number[],
  weights: readonly number[] | undefined,
  which: string,
): Sample {
  if (values.length === 0) throw new RangeError(`Wasserstein: the ${which} sample is empty`);
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`Wasserstein: the ${which} sample holds ${v}`);
  }
  if (weights === undefined) {
    const n = values.length;
    return { values: Float64Array.from(values).sort(), cdf: (count) => count / n };
  }
  if (weights.length !== values.length) {
    throw new RangeError(
      `Wasserstein: ${weights.length} weights for ${values.length} values in the ${which} sample`,
    );
  }
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  // Cumulative weights in sorted order, with a leading 0, as scipy's u_sorted_cumweights.
  const cumulative = new Float64Array(values.length + 1);
  order.forEach((index, k) => {
    const w = weights[index]!;
    if (!(w >= 0 && Number.isFinite(w)))
      throw new RangeError(`Wasserstein: weight ${w} in the ${which} sample`);
    cumulative[k + 1] = cumulative[k]! + w;
  });
  const total = cumulative[values.length]!;
  if (total === 0) throw new RangeError(`Wasserstein: the ${which} sample's weights are all 0`);
  return {
    values: Float64Array.from(order, (index) => values[index]!),
    cdf: (count) => cumulative[count]! / total,
  };
}

/**
 * Between two distributions binned over the same frozen edges (k + 1 finite,
 * strictly increasing edges for k bins; the caller picks finite outer edges,
 * e.g. the reference's minimum and maximum), each bin's mass taken as spread
 * evenly across it. Both CDFs are then linear inside a bin, and the integral
 * of |F - G| over a bin is exact: the trapezoid when F - G keeps its sign, two
 * triangles when it changes sign inside. Counts or proportions alike; each
 * vector is divided by its sum.
 */
export function binnedWassersteinDistance(
  edges: readonly number[],
  reference: readonly number[],
  current: readonly number[],
): number {
  checkEdges(edges, reference, current);
  const pTotal = total(reference, 'reference');
  const qTotal = total(current, 'current');
  let area = 0;
  let f = 0;
  let g = 0;
  for (let i = 0; i < reference.length; i++) {
    const before = f - g;
    f += reference[i]! / pTotal;
    g += current[i]! / qTotal;
    const after = f - g;
    const width = edges[i + 1]! - edges[i]!;
    if (before * after >= 0) area += (width * (Math.abs(before) + Math.abs(after))) / 2;
    else area += (width * (before * before + after * after)) / (2 * (Math.abs(before) + Math.abs(after)));
  }
  return area;
}

/**
 * The smallest spread a normed distance divides by: Evidently's floor, so a
 * constant reference gives a large finite value (and 0 when the current
 * window holds that same constant) instead of a division by zero.
 */
export const WASSERSTEIN_MIN_SCALE = 0.001;

/**
 * Evidently's "Wasserstein distance (normed)": the distance between the
 * samples over max(σ, 0.001), σ the reference sample's population standard
 * deviation (numpy's std, ddof 0).
 */
export function normedWassersteinDistance(reference: readonly number[], current: readonly number[]): number {
  const distance = wassersteinDistance(reference, current);
  return distance / Math.max(standardDeviation(reference), WASSERSTEIN_MIN_SCALE);
}

/**
 * The binned distance over max(σ, 0.001), σ the standard deviation of the
 * reference as binned (each bin uniform across its width, so a bin adds its
 * width²/12 to the variance besides the spread of the bin centres).
 */
export function normedBinnedWassersteinDistance(
  edges: readonly number[],
  reference: readonly number[],
  current: readonly number[],
): number {
  const distance = binnedWassersteinDistance(edges, reference, current);
  const pTotal = total(reference, 'reference');
  let mean = 0;
  for (let i = 0; i < reference.length; i++)
    mean += (reference[i]! / pTotal) * ((edges[i]! + edges[i + 1]!) / 2);
  let variance = 0;
  for (let i = 0; i < reference.length; i++) {
    const width = edges[i + 1]! - edges[i]!;
    const centre = (edges[i]! + edges[i + 1]!) / 2;
    variance += (reference[i]! / pTotal) * ((width * width) / 12 + (centre - mean) ** 2);
  }
  return distance / Math.max(Math.sqrt(variance), WASSERSTEIN_MIN_SCALE);
}

function standardDeviation(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

function checkEdges(
  edges: readonly number[],
  reference: readonly number[],
  current: readonly number[],
): void {
  if (reference.length !== current.length || edges.length !== reference.length + 1) {
    throw new RangeError(
      `Wasserstein: ${edges.length} edges, ${reference.length} reference and ${current.length} current bins`,
    );
  }
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i]!) || (i > 0 && !(edges[i]! > edges[i - 1]!))) {
      throw new RangeError('Wasserstein: bin edges must be finite and strictly increasing');
    }
  }
}

function total(counts: readonly number[], which: string): number {
  let sum = 0;
  for (const c of counts) {
    if (!(c >= 0 && Number.isFinite(c))) throw new RangeError(`Wasserstein: ${which} count ${c}`);
    sum += c;
  }
  if (sum === 0) throw new RangeError(`Wasserstein: the ${which} bins are empty`);
  return sum;
}
