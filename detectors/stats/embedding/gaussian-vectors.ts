import { type Random, seededRandom } from '../seeded-random.js';

/**
 * Seeded Gaussian vectors (Box-Muller over the seeded uniform source), for
 * tests and benchmarks of the embedding statistics that need samples of a
 * known distribution without a fixture file per size.
 *
 * @param count vectors to draw
 * @param dims components of each
 * @param seed seed of the uniform source
 * @param mean mean of every component, or of each component
 * @param sd standard deviation of every component
 */
export function gaussianVectors(
  count: number,
  dims: number,
  seed: number,
  mean: number | ArrayLike<number> = 0,
  sd = 1,
): Float64Array[] {
  const random = seededRandom(seed);
  const out: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const v = new Float64Array(dims);
    for (let d = 0; d < dims; d++) {
      v[d] = (typeof mean === 'number' ? mean : mean[d]!) + sd * standardNormal(random);
    }
    out.push(v);
  }
  return out;
}

/** One standard normal draw; 1 - u keeps the logarithm's argument in (0, 1]. */
function standardNormal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
