/**
 * The logarithm of the gamma function for positive arguments, in the pieces
 * the incomplete gamma function and the Kolmogorov distributions need: each
 * is computed where it has no cancellation, since a p-value of 1e-300 is the
 * exponential of a difference of such logarithms and inherits their absolute
 * error as its relative error.
 */

const HALF_LOG_TWO_PI = 0.9189385332046728;
const EULER_GAMMA = 0.5772156649015329;

/** Below this, ln Γ is reached by shifting the argument up; from it on, Stirling's series converges to a few ulps. */
const STIRLING_FROM = 10;

/**
 * The remainder of Stirling's series, ln Γ(x) - [(x - 1/2) ln x - x + ln √(2π)]
 * (equally ln x! - [(x + 1/2) ln x - x + ln √(2π)]), for x > 0. From 10 on,
 * eight terms of B_2k / (2k (2k - 1) x^(2k-1)) leave an error below 1e-17;
 * below 10 it is the difference itself, good to about 1e-15 absolute.
 */
export function stirlingCorrection(x: number): number {
  if (x < STIRLING_FROM) return logGamma(x) - ((x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI);
  return stirlingSeries(x);
}

function stirlingSeries(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 *
            (1 / 1260 +
              r2 *
                (-1 / 1680 +
                  r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

/**
 * ln Γ(x) for x > 0, to about 1e-15 absolute: Stirling's series from 10 on,
 * below it ln Γ(x + k) - ln(x (x + 1) ... (x + k - 1)). Near the zeros at 1 and 2
 * that absolute error is a large relative one; callers subtract it from other
 * logarithms, where only the absolute error counts. NaN outside (0, ∞].
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x >= STIRLING_FROM) return stirling(x);
  const k = Math.ceil(STIRLING_FROM - x);
  let product = x;
  for (let i = 1; i < k; i++) product *= x + i;
  return stirling(x + k) - Math.log(product);
}

function stirling(x: number): number {
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingSeries(x);
}

/** ζ(k) - 1 for k = 2, 3, ... (from scipy.special.zetac); 29 terms reach 1e-17 at |a| = 1/2. */
const ZETA_MINUS_ONE = [
  0.6449340668482264, 0.2020569031595943, 0.08232323371113819, 0.03692775514336993, 0.01734306198444914,
  0.008349277381922827, 0.00407735619794434, 0.0020083928260822143, 0.0009945751278180853,
  0.0004941886041194645, 0.0002460865533080483, 0.00012271334757848915, 6.124813505870483e-5,
  3.058823630702049e-5, 1.528225940865187e-5, 7.637197637899763e-6, 3.81729326499984e-6, 1.908212716553939e-6,
  9.539620338727962e-7, 4.769329867878064e-7, 2.38450502727733e-7, 1.1921992596531106e-7,
  5.960818905125948e-8, 2.980350351465228e-8, 1.4901554828365043e-8, 7.45071178983543e-9,
  3.725334024788457e-9, 1.862659723513049e-9, 9.313274324196682e-10,
];

/**
 * ln Γ(1 + a) for a > -1, accurate relative to its own (small) size when |a| <= 1/2:
 * there ln Γ(1 + a) = -ln(1 + a) + (1 - γ) a + Σ_{k>=2} (-a)^k (ζ(k) - 1) / k,
 * whereas ln Γ evaluated at 1 + a would lose every digit of a below 1e-16.
 */
export function logGammaOnePlus(a: number): number {
  if (Math.abs(a) > 0.5) return logGamma(1 + a);
  let sum = 0;
  for (let i = ZETA_MINUS_ONE.length - 1; i >= 0; i--) {
    const k = i + 2;
    sum = -a * (ZETA_MINUS_ONE[i]! / k + sum);
  }
  // The loop leaves Σ_{k>=2} (-a)^(k-1) (ζ(k)-1)/k; one more factor of -a completes each power.
  return -Math.log1p(a) + (1 - EULER_GAMMA) * a - a * sum;
}
