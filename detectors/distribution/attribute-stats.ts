import type { Mergeable } from '../stats/reference-windows.js';

/**
 * What one sub-window keeps of one monitored attribute, in O(1) per event:
 * - categorical: a count per value, at most `maxCategories` values, the rest
 *   counted as OTHER (traffic decides the values, and memory must not);
 * - numeric: a count and a sum per frozen bin (a bin's mean stands for its
 *   values in the distances), the sum and sum of squares (the spread the
 *   Wasserstein distance is normalized by), and the raw values while the
 *   sub-window holds few of them, for an exact test on small samples.
 */
export interface AttributeStats {
  n: number;
  categories: Map<string, number>;
  bins: number[];
  binSums: number[];
  sum: number;
  sumSquares: number;
  /** Raw numeric values kept, or null once there are more than the small-sample limit. */
  values: number[] | null;
}

/** Where values beyond the category limit are counted. */
export const OTHER = '__other__';

export interface AttributeStatsShape {
  maxCategories: number;
  /** Bins of a numeric attribute (0 for a categorical one). */
  bins: number;
  /** Raw values kept per window at most; above it, only bins. */
  smallSample: number;
}

type StatsJson = Omit<AttributeStats, 'categories'> & { categories: Array<[string, number]> };

export function attributeStatsOps(shape: AttributeStatsShape): Mergeable<AttributeStats> {
  return {
    empty: () => ({
      n: 0,
      categories: new Map(),
      bins: new Array(shape.bins).fill(0),
      binSums: new Array(shape.bins).fill(0),
      sum: 0,
      sumSquares: 0,
      values: shape.bins > 0 ? [] : null,
    }),
    merge(into, from) {
      into.n += from.n;
      for (const [k, c] of from.categories) addCategory(into, k, c, shape.maxCategories);
      for (let i = 0; i < into.bins.length; i++) {
        into.bins[i]! += from.bins[i] ?? 0;
        into.binSums[i]! += from.binSums[i] ?? 0;
      }
      into.sum += from.sum;
      into.sumSquares += from.sumSquares;
      if (into.values !== null) {
        if (from.values === null || into.values.length + from.values.length > shape.smallSample)
          into.values = null;
        else for (const v of from.values) into.values.push(v);
      }
      return into;
    },
    toJSON: (s): StatsJson => ({ ...s, categories: [...s.categories] }),
    fromJSON(data) {
      const d = data as StatsJson;
      return {
        n: d.n,
        categories: new Map(d.categories),
        bins: [...d.bins],
        binSums: [...d.binSums],
        sum: d.sum,
        sumSquares: d.sumSquares,
        values: d.values && [...d.values],
      };
    },
  };
}

/** Records one categorical value. */
export function addCategorical(s: AttributeStats, value: string, maxCategories: number): void {
  s.n++;
  addCategory(s, value, 1, maxCategories);
}

function addCategory(s: AttributeStats, value: string, count: number, maxCategories: number): void {
  const c = s.categories.get(value);
  if (c !== undefined) s.categories.set(value, c + count);
  else if (s.categories.size < maxCategories) s.categories.set(value, count);
  else s.categories.set(OTHER, (s.categories.get(OTHER) ?? 0) + count);
}

/** Records a numeric value in bin `bin` (of the frozen edges) and, while the sample is small, the value itself. */
export function addNumeric(s: AttributeStats, value: number, bin: number, smallSample: number): void {
  s.n++;
  s.bins[bin]!++;
  s.binSums[bin]! += value;
  s.sum += value;
  s.sumSquares += value * value;
  if (s.values !== null) {
    if (s.values.length < smallSample) s.values.push(value);
    else s.values = null;
  }
}
