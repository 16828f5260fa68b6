import type { Mergeable } from '../stats/reference-windows.js';

/**
 * What one sub-window keeps of one monitored attribute, in O(1) per event:
 * - categorical: a count per value, at most `maxCategories` values, the rest
 *   counted as OTHER (traffic decides the values, and memory must not);
 * - numeric: a count per frozen bin, plus the raw values while the
 *   sub-window holds few of them, for an exact test on small samples.
 */
export interface AttributeStats {
  n: number;
  categories: Map<string, number>;
  bins: number[];
  /** Raw numeric values kept, or null once the sub-window holds more than the small-sample limit. */
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

export function attributeStatsOps(shape: AttributeStatsShape): Mergeable<AttributeStats> {
  const empty = (): AttributeStats => ({
    n: 0,
    categories: new Map(),
    bins: new Array(shape.bins).fill(0),
    values: shape.bins > 0 ? [] : null,
  });
  return {
    empty,
    merge(into, from) {
      into.n += from.n;
      for (const [k, c] of from.categories) addCategory(into, k, c, shape.maxCategories);
      for (let i = 0; i < into.bins.length; i++) into.bins[i]! += from.bins[i] ?? 0;
      if (into.values !== null) {
        if (from.values === null || into.values.length + from.values.length > shape.smallSample)
          into.values = null;
        else for (const v of from.values) into.values.push(v);
      }
      return into;
    },
    toJSON: (s) => ({ n: s.n, categories: [...s.categories], bins: s.bins, values: s.values }),
    fromJSON(data) {
      const d = data as {
        n: number;
        categories: Array<[string, number]>;
        bins: number[];
        values: number[] | null;
      };
      return {
        n: d.n,
        categories: new Map(d.categories),
        bins: [...d.bins],
        values: d.values && [...d.values],
      };
    },
  };
}

export function addCategory(s: AttributeStats, value: string, count: number, maxCategories: number): void {
  const c = s.categories.get(value);
  if (c !== undefined) s.categories.set(value, c + count);
  else if (s.categories.size < maxCategories) s.categories.set(value, count);
  else s.categories.set(OTHER, (s.categories.get(OTHER) ?? 0) + count);
}

/** Records a numeric value in bin `bin` (frozen edges) and, while the sample is small, the value itself. */
export function addNumeric(s: AttributeStats, value: number, bin: number, smallSample: number): void {
  s.n++;
  s.bins[bin]!++;
  if (s.values !== null) {
    if (s.values.length < smallSample) s.values.push(value);
    else s.values = null;
  }
}
