/**
 * The exact two-sided p-value of the two-sample Kolmogorov-Smirnov test,
 * P(D >= h / lcm(n, m)) under the null hypothesis (no ties), for samples of
 * n and m values: the share of the C(n + m, n) monotone lattice paths from
 * (0, 0) to (n, m) that touch a point with |i/n - j/m| >= h / lcm(n, m)
 * (Hodges 1958; Drion, Gnedenko & Korolyuk).
 *
 * Counting the paths that stay inside and subtracting from 1 loses every
 * digit of a small p-value. Instead, as Viehmann (2021, arXiv:2102.08037)
 * proposes, the recursion carries u(i, j), the chance
 * that a random path from (0, 0) to (i, j) has already touched the boundary:
 * 1 on or beyond it, and inside it the average of its two predecessors,
 * u(i, j) = (i u(i-1, j) + j u(i, j-1)) / (i + j), since i/(i + j) of the
 * paths into (i, j) arrive from the left. Every step is a convex combination
 * of non-negative numbers, so even a p-value of 1e-300 keeps its digits.
 *
 * O(n · (band width)) time, at most O(n m), and O(m) memory.
 */
export function twoSampleKsExactPValue(n: number, m: number, h: number): number {
  if (h <= 0) return 1;
  const g = gcd(n, m);
  // In units of 1/lcm(n, m), the point (i, j) lies at |i·(m/g) - j·(n/g)| from the diagonal.
  const stepI = m / g;
  const stepJ = n / g;
  const u = new Float64Array(m + 1).fill(1);
  for (let i = 0; i <= n; i++) {
    // Inside: (i·stepI - h)/stepJ < j < (i·stepI + h)/stepJ.
    const lo = Math.max(0, Math.floor((i * stepI - h) / stepJ) + 1);
    const hi = Math.min(m, Math.ceil((i * stepI + h) / stepJ) - 1);
    if (lo > hi) return 1; // every path crosses this column beyond the boundary
    // Below the band the boundary has been touched; the band only moves up, so
    // u[j] for j in the band still holds column i-1 (or 1 where it was outside).
    let left = 1;
    for (let j = lo; j <= hi; j++) {
      const value = i === 0 && j === 0 ? 0 : (i * u[j]! + j * left) / (i + j);
      u[j] = value;
      left = value;
    }
  }
  return u[m]!;
}

export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
