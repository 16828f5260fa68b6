import { SCALE_DOWN, SCALE_EXPONENT, SCALE_UP, scaleByPowerOfTwo } from './scale-by-power-of-two.js';

/**
 * P(D_n < d) for the two-sided one-sample Kolmogorov statistic by Durbin's
 * matrix method as Marsaglia, Tsang & Wang (2003, "Evaluating Kolmogorov's
 * distribution", J. Stat. Softw. 8(18)) compute it: with nd = k - h
 * (k an integer, 0 <= h < 1) and the (2k-1)-square matrix H of their paper,
 * the probability is n!/n^n times the central element of H^n.
 *
 * Cost O(k³ log n), so it serves where nd is small: scipy's kstwo uses it for
 * n <= 140 when n d² <= 0.754693, and for n <= 100,000 when n d^(3/2) <= 1.4
 * (Simard & L'Ecuyer 2011), and so does ./kolmogorov-distribution.ts.
 * Intermediate powers are rescaled by 2^128 (exactly) with the exponent kept
 * apart, since the central element grows like e^n.
 */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  // H[i][j] = 1/(i-j+1)! on and below the superdiagonal, less h^(i+1)/(i+1)! down the
  // first column and h^(m-j)/(m-j)! along the last row; the corner gets back (2h-1)^m/m! when 2h > 1.
  const inverseFactorial = new Float64Array(m + 1);
  inverseFactorial[0] = 1;
  for (let i = 1; i <= m; i++) inverseFactorial[i] = inverseFactorial[i - 1]! / i;
  const hPower = new Float64Array(m + 1);
  hPower[0] = 1;
  for (let i = 1; i <= m; i++) hPower[i] = hPower[i - 1]! * h;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= Math.min(i + 1, m - 1); j++) H[i * m + j] = inverseFactorial[i - j + 1]!;
  }
  for (let i = 0; i < m; i++) {
    H[i * m] = (1 - hPower[i + 1]!) * inverseFactorial[i + 1]!;
    H[(m - 1) * m + i] = (1 - hPower[m - i]!) * inverseFactorial[m - i]!;
  }
  const corner = (2 * h - 1 > 0 ? (2 * h - 1) ** m : 0) - 2 * hPower[m]!;
  H[(m - 1) * m] = (1 + corner) * inverseFactorial[m]!;

  const centre = (k - 1) * m + (k - 1);
  let power: Float64Array | null = null;
  let powerExponent = 0;
  let square: Float64Array = H;
  let squareExponent = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) {
      if (power === null) {
        power = square.slice();
      } else {
        power = multiply(power, square, m);
      }
      powerExponent += squareExponent;
      powerExponent += rescale(power, centre);
    }
    if (rest > 1) {
      square = multiply(square, square, m);
      squareExponent *= 2;
      squareExponent += rescale(square, centre);
    }
  }

  // Times n!/n^n, one factor i/n at a time, rescaled so it never underflows.
  let p = power![centre]!;
  let exponent = powerExponent;
  for (let i = 1; i <= n; i++) {
    p = (p * i) / n;
    if (p < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  return Math.min(1, Math.max(0, scaleByPowerOfTwo(p, exponent)));
}

/** Divides `a` by 2^128 while its central element exceeds 2^128; returns the binary exponent taken out. */
function rescale(a: Float64Array, centre: number): number {
  let taken = 0;
  while (a[centre]! > SCALE_UP) {
    for (let i = 0; i < a.length; i++) a[i]! *= SCALE_DOWN;
    taken += SCALE_EXPONENT;
  }
  return taken;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j]! += ail * b[l * m + j]!;
    }
  }
  return c;
}
