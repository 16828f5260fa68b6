import { randomInt, seededRandom } from '../seeded-random.js';

/** Options for {@link mmdPermutationTest}. */
export interface MmdOptions {
  /** Random relabellings of the pooled sample; 0 skips the test (pValue 1). Default 200. */
  permutations?: number;
  /** Seed of the relabellings, so a p-value can be reproduced. Default 0. */
  seed?: number;
  /** Kernel bandwidth; by default the median heuristic ({@link medianHeuristicSigma}). */
  sigma?: number;
}

/** Result of {@link mmdPermutationTest}. */
export interface MmdResult {
  /** Unbiased estimate of the squared MMD; may be slightly negative when the samples agree. */
  mmd2: number;
  /** Bandwidth of the RBF kernel used. */
  sigma: number;
  /** (1 + relabellings with a statistic at least mmd2) / (1 + permutations); at least 1 / (1 + permutations). */
  pValue: number;
  /** Relabellings drawn. */
  permutations: number;
}

/**
 * Two statistics closer than this count as equal in the permutation test.
 * Kernel values lie in [0, 1], so the rounding in a statistic is orders of
 * magnitude smaller, while a tie of the same split reached in another way
 * (duplicated vectors, symmetric samples) must not be lost to it.
 */
const TIE_TOLERANCE = 1e-12;

/**
 * Squared Maximum Mean Discrepancy between samples `x` (m vectors) and `y`
 * (n vectors) with the RBF kernel k(a, b) = exp(-||a - b||^2 / (2 sigma^2)),
 * by the unbiased estimator (a U-statistic, the diagonal k(a, a) terms left out):
 *
 *   sum_{i != j} k(x_i, x_j) / (m (m - 1)) + sum_{i != j} k(y_i, y_j) / (n (n - 1))
 *     - 2 sum_{i, j} k(x_i, y_j) / (m n)
 *
 * and its permutation test: the pooled kernel matrix is computed once, then
 * each permutation splits the pooled sample at random into groups of sizes m
 * and n and recomputes the statistic from the matrix, so a permutation costs
 * O((m + n)^2) additions and no kernel evaluation.
 *
 * Costs: O((m + n)^2 dims) for the distances, (m + n)^2 doubles of memory
 * (8 MB at 500 + 500), and O(permutations (m + n)^2) after.
 *
 * @throws RangeError when a sample has fewer than 2 vectors, the dimensions differ, or sigma is invalid
 */
export function mmdPermutationTest(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
  options: MmdOptions = {},
): MmdResult {
  const permutations = options.permutations ?? 200;
  if (!Number.isInteger(permutations) || permutations < 0) {
    throw new RangeError(`permutations must be a non-negative integer, got ${permutations}`);
  }
  const m = x.length;
  const n = m + y.length;
  const { data, dims } = pool(x, y);
  const k = squaredDistances(data, n, dims);
  const sigma = options.sigma ?? medianSigma(k, n);
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`sigma must be finite and >= 0, got ${sigma}`);
  }
  toKernel(k, n, sigma);

  // With the total T of the upper triangle and the row sums R_i fixed, a split
  // is known from S_xx = sum of k(i, j), i < j, both in x:
  // sum_{i in x} R_i = 2 S_xx + S_xy and S_yy = T - S_xx - S_xy.
  const rowSums = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = i + 1; j < n; j++) {
      const v = k[row + j]!;
      rowSums[i]! += v;
      rowSums[j]! += v;
      total += v;
    }
  }
  const statistic = (inX: Float64Array): number => {
    let sxx = 0;
    let rowsX = 0;
    for (let i = 0; i < n; i++) {
      if (inX[i] === 0) continue;
      rowsX += rowSums[i]!;
      const row = i * n;
      let s = 0;
      for (let j = i + 1; j < n; j++) s += k[row + j]! * inX[j]!;
      sxx += s;
    }
    const sxy = rowsX - 2 * sxx;
    const syy = total - sxx - sxy;
    const ny = n - m;
    return (2 * sxx) / (m * (m - 1)) + (2 * syy) / (ny * (ny - 1)) - (2 * sxy) / (m * ny);
  };

  const inX = new Float64Array(n);
  inX.fill(1, 0, m);
  const mmd2 = statistic(inX);

  // Shuffling the group labels is the same random split as shuffling the
  // pooled indices and cutting at m, without the indirection.
  const random = seededRandom(options.seed ?? 0);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    for (let i = n - 1; i > 0; i--) {
      const j = randomInt(random, i + 1);
      const t = inX[i]!;
      inX[i] = inX[j]!;
      inX[j] = t;
    }
    if (statistic(inX) >= mmd2 - TIE_TOLERANCE) atLeast++;
  }
  return { mmd2, sigma, pValue: (1 + atLeast) / (1 + permutations), permutations };
}

/**
 * The unbiased squared MMD alone (see {@link mmdPermutationTest} for the
 * estimator), with `sigma` given or by the median heuristic.
 */
export function unbiasedMmd2(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
  sigma?: number,
): { mmd2: number; sigma: number } {
  const r = mmdPermutationTest(x, y, sigma === undefined ? { permutations: 0 } : { permutations: 0, sigma });
  return { mmd2: r.mmd2, sigma: r.sigma };
}

/**
 * The median heuristic for the RBF bandwidth, with this exact convention:
 * the median of the N (N - 1) / 2 Euclidean distances ||z_i - z_j||, i < j,
 * between the vectors of the pooled sample (each unordered pair once; the N
 * zero self-distances left out; duplicated vectors still count as pairs at
 * distance 0), and the mean of the two middle values when that count is even.
 * That is `numpy.median(scipy.spatial.distance.pdist(pooled))`.
 *
 * When that median is 0 (more than half the pairs coincide) the kernel would
 * be degenerate, so the median of the positive distances is used instead; when
 * every vector is the same, 0 is returned and the kernel is 1 everywhere.
 *
 * @throws RangeError when there are fewer than 2 vectors or their dimensions differ
 */
export function medianHeuristicSigma(pooled: readonly ArrayLike<number>[]): number {
  const { data, dims } = pool(pooled, []);
  return medianSigma(squaredDistances(data, pooled.length, dims), pooled.length);
}

/** Copies the vectors of `x` then `y` into one row-major Float64Array. */
function pool(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
): { data: Float64Array; dims: number } {
  if (x.length < 2 || (y.length > 0 && y.length < 2)) {
    throw new RangeError(`each sample needs at least 2 vectors, got ${x.length} and ${y.length}`);
  }
  const dims = x[0]!.length;
  if (dims < 1) throw new RangeError('vectors need at least one dimension');
  const data = new Float64Array((x.length + y.length) * dims);
  let at = 0;
  for (const sample of [x, y]) {
    for (const v of sample) {
      if (v.length !== dims) {
        throw new RangeError(`vectors of ${v.length} and ${dims} dimensions cannot be compared`);
      }
      for (let d = 0; d < dims; d++) data[at++] = v[d]!;
    }
  }
  return { data, dims };
}

/** The symmetric n x n matrix of squared Euclidean distances, zero diagonal. */
function squaredDistances(data: Float64Array, n: number, dims: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = i * dims;
    for (let j = i + 1; j < n; j++) {
      const b = j * dims;
      // Four accumulators shorten the dependency chain of the sum.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let d = 0;
      for (; d + 3 < dims; d += 4) {
        const e0 = data[a + d]! - data[b + d]!;
        const e1 = data[a + d + 1]! - data[b + d + 1]!;
        const e2 = data[a + d + 2]! - data[b + d + 2]!;
        const e3 = data[a + d + 3]! - data[b + d + 3]!;
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      for (; d < dims; d++) {
        const e = data[a + d]! - data[b + d]!;
        s0 += e * e;
      }
      const s = s0 + s1 + (s2 + s3);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** The median heuristic from a squared-distance matrix (see {@link medianHeuristicSigma}). */
function medianSigma(d2: Float64Array, n: number): number {
  const pairs = new Float64Array((n * (n - 1)) / 2);
  let at = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = d2[i * n + j]!;
      pairs[at++] = v;
      if (v > 0) positive++;
    }
  }
  if (positive === 0) return 0;
  const median = medianRoot(pairs);
  return median > 0 ? median : medianRoot(pairs.filter((v) => v > 0));
}

/**
 * The median of the square roots of `squares` (rearranging it): square roots
 * are monotone, so the middle values are found on the squares and only they
 * are rooted.
 */
function medianRoot(squares: Float64Array): number {
  const count = squares.length;
  const lower = (count - 1) >> 1;
  const a = select(squares, lower);
  if (count % 2 === 1) return Math.sqrt(a);
  let b = Number.POSITIVE_INFINITY;
  for (let i = lower + 1; i < count; i++) if (squares[i]! < b) b = squares[i]!;
  return (Math.sqrt(a) + Math.sqrt(b)) / 2;
}

/**
 * The k-th smallest value of `a` (0-based), rearranging `a` so that every
 * value after index k is at least it (Hoare quickselect): linear on average,
 * where sorting half a million pair distances took tens of milliseconds.
 */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = medianOfThree(a[lo]!, a[(lo + hi) >>> 1]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

function medianOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/**
 * Turns the squared-distance matrix into the RBF kernel matrix in place,
 * evaluating exp once per unordered pair. At sigma 0 the kernel is its limit,
 * 1 where the distance is 0 and 0 elsewhere (the median heuristic gives 0
 * only when every vector is the same, so 1 everywhere).
 */
function toKernel(k: Float64Array, n: number, sigma: number): void {
  const scale = sigma === 0 ? 0 : -1 / (2 * sigma * sigma);
  for (let i = 0; i < n; i++) {
    k[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const d2 = k[i * n + j]!;
      const v = sigma === 0 ? (d2 === 0 ? 1 : 0) : Math.exp(d2 * scale);
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
}
