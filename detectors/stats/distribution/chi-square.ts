import { regularizedGammaQ } from './regularized-gamma.js';

export interface ChiSquareResult {
  /** Pearson's X² = Σ (observed - expected)² / expected over both rows. */
  statistic: number;
  /** Degrees of freedom: the categories kept, less one; 0 when there was nothing to test. */
  dof: number;
  pValue: number;
}

/** What a table with nothing to compare gives: no evidence of a difference. */
const NO_TEST: ChiSquareResult = { statistic: 0, dof: 0, pValue: 1 };

/**
 * The chi-square test of homogeneity between a reference and a current vector
 * of counts over the same categories (a 2 x k contingency table), as
 * `scipy.stats.chi2_contingency(table, correction=False)` computes it: the
 * expected count of a cell is its row total times its column total over the
 * grand total, and the p-value is the chi-square upper tail at k - 1 degrees
 * of freedom.
 *
 * Categories empty in both vectors are dropped first (scipy refuses a table
 * with an expected count of 0). A table left with fewer than two categories,
 * or with an empty side, cannot show a difference and gives statistic 0, dof 0,
 * p-value 1 (scipy gives the same for a single category and refuses the rest).
 * No continuity correction, even for two categories: it exists to approximate
 * an exact test on tiny 2 x 2 tables, and drifting windows are not tiny.
 *
 * Counts need not be integers (weighted counts are fine) but must be finite
 * and non-negative; a RangeError otherwise, or when the lengths differ.
 */
export function chiSquareHomogeneity(
  reference: readonly number[],
  current: readonly number[],
): ChiSquareResult {
  if (reference.length !== current.length) {
    throw new RangeError(
      `chi-square: ${reference.length} reference categories but ${current.length} current`,
    );
  }
  const ref: number[] = [];
  const cur: number[] = [];
  let refTotal = 0;
  let curTotal = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const c = current[i]!;
    if (!(r >= 0 && c >= 0 && Number.isFinite(r) && Number.isFinite(c))) {
      throw new RangeError(`chi-square: counts must be finite and non-negative (category ${i}: ${r}, ${c})`);
    }
    if (r + c === 0) continue;
    ref.push(r);
    cur.push(c);
    refTotal += r;
    curTotal += c;
  }
  if (ref.length < 2 || refTotal === 0 || curTotal === 0) return NO_TEST;
  const total = refTotal + curTotal;
  let statistic = 0;
  // Row by row, as scipy sums the flattened table.
  for (const [row, rowTotal] of [
    [ref, refTotal],
    [cur, curTotal],
  ] as const) {
    for (let j = 0; j < row.length; j++) {
      const expected = (rowTotal * (ref[j]! + cur[j]!)) / total;
      const d = row[j]! - expected;
      statistic += (d * d) / expected;
    }
  }
  const dof = ref.length - 1;
  return { statistic, dof, pValue: chiSquareSurvival(statistic, dof) };
}

/** P(X >= x) for X chi-square with `dof` degrees of freedom: Q(dof/2, x/2), as scipy.stats.chi2.sf. */
export function chiSquareSurvival(x: number, dof: number): number {
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}
