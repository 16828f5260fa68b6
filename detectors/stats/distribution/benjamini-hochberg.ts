/**
 * Benjamini-Hochberg adjusted p-values (false discovery rate), in the order
 * given, as statsmodels' `multipletests(p, method='fdr_bh')[1]` returns them:
 * sorted ascending, the i-th smallest of n becomes p · n / i, then each is
 * lowered to the smallest value at or above its rank (the step-up, which
 * also makes the result monotone in p), and capped at 1. Rejecting where the
 * adjusted value is <= α keeps the expected share of false discoveries among
 * the attributes flagged at most α (for independent or positively dependent
 * tests).
 *
 * A RangeError for a p-value outside [0, 1] (NaN included).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const n = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Benjamini-Hochberg: p-value ${p} is outside [0, 1]`);
  }
  // Ties can go in either order: the step-up gives tied p-values the same adjusted value.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Array<number>(n);
  let running = 1;
  for (let rank = n; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    running = Math.min(running, (pValues[i]! * n) / rank);
    adjusted[i] = running;
  }
  return adjusted;
}
