/**
 * x · 2^exponent without overflowing on the way: the Kolmogorov recursions keep
 * numbers like n^n / n! as a double and a separate binary exponent, and only
 * the final probability is brought back into range. Multiplying by powers of 2
 * is exact, so the scaling changes no digit.
 */
export function scaleByPowerOfTwo(x: number, exponent: number): number {
  let e = exponent;
  let y = x;
  while (e > 1000) {
    y *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    y *= 2 ** -1000;
    e += 1000;
  }
  return y * 2 ** e;
}

/** The factor the recursions rescale by when a value leaves [2^-128, 2^128]. */
export const SCALE_EXPONENT = 128;
export const SCALE_UP = 2 ** SCALE_EXPONENT;
export const SCALE_DOWN = 2 ** -SCALE_EXPONENT;
