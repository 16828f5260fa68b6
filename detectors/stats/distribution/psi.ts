/**
 * What an empty bin's proportion is taken to be, so its log ratio is finite:
 * 1e-4, as Evidently replaces empty proportions (and without renormalising).
 * It sets the cost of a category appearing from nothing: a bin holding 10%
 * of the current window and none of the reference adds (0.1 - 1e-4) ln(1000),
 * about 0.69, on its own.
 */
export const PSI_EPSILON = 1e-4;

/**
 * The Population Stability Index between a reference and a current vector of
 * counts over the same bins or categories (categorical and binned numeric
 * alike): with proportions p = reference / Σ reference and q = current /
 * Σ current, each 0 replaced by PSI_EPSILON,
 *
 *   PSI = Σ (q - p) ln(q / p),
 *
 * the symmetrised Kullback-Leibler divergence. 0 for identical proportions;
 * the usual reading is below 0.1 stable, 0.1 to 0.25 a moderate shift,
 * above 0.25 a large one.
 *
 * A RangeError for vectors of different lengths, negative or non-finite
 * counts, or a side with no counts at all.
 */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[]): number {
  if (reference.length !== current.length) {
    throw new RangeError(`PSI: ${reference.length} reference bins but ${current.length} current`);
  }
  const pTotal = total(reference, 'reference');
  const qTotal = total(current, 'current');
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = reference[i]! / pTotal || PSI_EPSILON;
    const q = current[i]! / qTotal || PSI_EPSILON;
    psi += (q - p) * Math.log(q / p);
  }
  return psi;
}

function total(counts: readonly number[], which: string): number {
  let sum = 0;
  for (const c of counts) {
    if (!(c >= 0 && Number.isFinite(c))) throw new RangeError(`PSI: ${which} count ${c}`);
    sum += c;
  }
  if (sum === 0) throw new RangeError(`PSI: the ${which} counts are all 0`);
  return sum;
}
