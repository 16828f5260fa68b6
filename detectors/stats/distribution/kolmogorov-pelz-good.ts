/**
 * P(D_n <= d) for the two-sided one-sample Kolmogorov statistic by the
 * Pelz-Good (1976) approximation: the Li-Chien / Korolyuk expansion
 * K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^(3/2) in z = d√n, with each Kj rewritten
 * through Jacobi's theta transformation so that it converges for small z.
 * An approximation, used where scipy's kstwo uses it (n > 140 with n d² < 2.2
 * and either n > 100,000 or n d^(3/2) > 1.4); this follows the evaluation
 * order of scipy's _kolmogn_PelzGood so that the two agree to rounding.
 */
export function kolmogorovCdfPelzGood(n: number, d: number): number {
  if (d <= 0) return 0;
  if (d >= 1) return 1;
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const logQ = -(PI2 / 8) / z2;
  if (logQ < MIN_LOG) return 0;
  const q = Math.exp(logQ);

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Σ over odd m = 2k-1 of c(m) q^(m²), by Horner's rule in q^(8k).
  const K = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let j = 0; j < 4; j++) K[j] = K[j]! * qPower + coefficients[j]!;
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let j = 0; j < 4; j++) K[j] = (K[j]! * q * SQRT_2PI) / divisors[j]!;

  // The terms over all integers k in K2 and K3.
  const q2 = Math.exp(-(PI2 / 2) / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const qk = q2 ** k2;
    k2Extra += k2 * qk;
    const kPi = Math.PI * k;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qk;
  }
  K[2] = K[2]! + (k2Extra * PI2 * SQRT_2PI) / (-36 * z3);
  K[3] = K[3]! + (k3Extra * PI2 * SQRT_2PI) / (216 * z6);

  let cdf = 0;
  for (let j = 0; j < 4; j++) cdf += K[j]! / n ** (j / 2);
  return cdf;
}

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
/** exp() of anything below this is 0 or subnormal. */
const MIN_LOG = -708;
