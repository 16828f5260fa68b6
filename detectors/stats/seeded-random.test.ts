import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom, shuffle } from './seeded-random.js';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(Array.from({ length: 5 }, c)).not.toEqual(xs);
  });

  it('is uniform on [0, 1): each tenth holds about a tenth of 100,000 draws', () => {
    const r = seededRandom(7);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * 10)]++;
    }
    for (const n of bins) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('shuffles into a permutation and draws integers in range', () => {
    const r = seededRandom(1);
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect([...shuffle(r, [...items])].sort((x, y) => x - y)).toEqual(items);
    for (let i = 0; i < 1000; i++) {
      const k = randomInt(r, 3);
      expect([0, 1, 2]).toContain(k);
    }
  });
});
