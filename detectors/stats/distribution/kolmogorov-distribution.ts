import { kolmogorovCdfDurbin } from './kolmogorov-durbin-matrix.js';
import { kolmogorovCdfPelzGood } from './kolmogorov-pelz-good.js';
import { kolmogorovCdfPomeranz } from './kolmogorov-pomeranz.js';
import { stirlingCorrection } from './log-gamma.js';
import { smirnovSurvival } from './smirnov-one-sided.js';

/**
 * P(D_n >= d) for the two-sided one-sample Kolmogorov statistic D_n with n
 * observations: `scipy.stats.kstwo.sf(d, n)`, which scipy's two-sample test
 * evaluates at the effective sample size for its asymptotic p-value.
 *
 * The method for each (n, d) is the one Simard & L'Ecuyer (2011) recommend
 * and scipy 1.10's _kolmogn picks, with the same cut-offs, so that the two
 * agree to rounding rather than to the accuracy of different approximations:
 * - n d <= 1 and n d >= n - 1: Ruben & Gambino's closed forms;
 * - d >= 1/2, and the upper tail where n d² is large: twice the one-sided
 *   tail (exact there, since D+ and D- cannot both be that large);
 * - n <= 140: Durbin's matrix (n d² <= 0.754693) or Pomeranz (<= 4);
 * - n > 140: Durbin's matrix when n <= 100,000 and n d^(3/2) <= 1.4, else the
 *   Pelz-Good expansion; 0 once n d² >= 370.
 */
export function kolmogorovSurvival(n: number, d: number): number {
  if (!(n >= 1 && Number.isInteger(n)) || Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // P(D_n < d) = n!/n^n (2t - 1)^n.
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - d) ** n);
  if (d >= 0.5) return clip(2 * smirnovSurvival(n, d));

  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 0.754693) return clip(1 - kolmogorovCdfDurbin(n, d));
    if (nd2 <= 4) return clip(1 - kolmogorovCdfPomeranz(n, d));
    return clip(2 * smirnovSurvival(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip(2 * smirnovSurvival(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, d) : kolmogorovCdfPelzGood(n, d);
  return clip(1 - cdf);
}

/** ln(n! / n^n) = ln Γ(n) + ln n - n ln n by Stirling: ½ ln n - n + ln √(2π) + stirling(n). */
function logFactorialOverPower(n: number): number {
  return 0.5 * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + stirlingCorrection(n);
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
