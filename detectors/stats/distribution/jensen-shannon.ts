/**
 * The Jensen-Shannon distance, base 2, between two distributions over the same
 * categories or bins, given as counts or probabilities: as
 * `scipy.spatial.distance.jensenshannon(p, q, base=2)`, each vector is first
 * divided by its sum, then with m = (p + q) / 2 the distance is
 * √((KL(p‖m) + KL(q‖m)) / 2), KL in bits. It is 0 for proportional vectors
 * and 1 for disjoint supports, a metric, and defined even where one side has
 * a category the other lacks (unlike KL or PSI, no epsilon needed).
 *
 * The result is clamped to [0, 1]: rounding can leave the divergence a hair
 * below 0 for nearly equal inputs, where scipy returns NaN, or above 1 for
 * disjoint ones.
 *
 * A RangeError for vectors of different lengths, negative or non-finite
 * entries, or a vector summing to 0 (no distribution to compare).
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) {
    throw new RangeError(`Jensen-Shannon: ${p.length} categories against ${q.length}`);
  }
  const pTotal = total(p, 'first');
  const qTotal = total(q, 'second');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / pTotal;
    const qi = q[i]! / qTotal;
    const m = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / m);
    if (qi > 0) right += qi * Math.log(qi / m);
  }
  const divergence = (left + right) / Math.LN2 / 2;
  return Math.sqrt(Math.min(1, Math.max(0, divergence)));
}

function total(v: readonly number[], which: string): number {
  let sum = 0;
  for (const x of v) {
    if (!(x >= 0 && Number.isFinite(x))) {
      throw new RangeError(
        `Jensen-Shannon: the ${which} vector holds ${x}; entries must be finite and non-negative`,
      );
    }
    sum += x;
  }
  if (sum === 0) throw new RangeError(`Jensen-Shannon: the ${which} vector sums to 0`);
  return sum;
}
