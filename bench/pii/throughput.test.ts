import { describe, expect, it } from 'vitest';
import {
  ADVERSARIAL_INPUTS,
  alternatingRates,
  fixedLengthTexts,
  stageCosts,
  textsPerSecond,
} from './throughput.js';

describe('fixedLengthTexts', () => {
  it('cuts the joined texts into pieces of the given length, dropping the short tail', () => {
    expect(fixedLengthTexts(['abcd', 'efg'], 3)).toEqual(['abc', 'd\ne']);
    expect(fixedLengthTexts(['abcd', 'efgh'], 3)).toEqual(['abc', 'd\ne', 'fgh']);
  });

  it('never splits a surrogate pair', () => {
    const pieces = fixedLengthTexts(['ab🙏cd'], 3);
    expect(pieces[0]).toBe('ab🙏');
    // No piece ends on a lone high surrogate.
    for (const p of pieces) expect(p).not.toMatch(/[\uD800-\uDBFF]$/);
  });
});

describe('textsPerSecond', () => {
  it('measures a positive rate over a short window', () => {
    expect(textsPerSecond(['a', 'b'], (t) => t.length, 0.05)).toBeGreaterThan(0);
  });
});

describe('alternatingRates', () => {
  it('measures every function in every round and compares the first with the second', () => {
    const slow = (t: string) => t.repeat(2000).length;
    const fast = (t: string) => t.length;
    const r = alternatingRates(['ab', 'cd'], [fast, slow], 0.02, 3);
    expect(r.rates.map((x) => x.length)).toEqual([3, 3]);
    expect(r.medians[0]).toBeGreaterThan(r.medians[1]!);
    expect(r.medianRatio).toBeGreaterThan(1);
  });
});

describe('ADVERSARIAL_INPUTS', () => {
  it('are 1 MB each', () => {
    for (const [name, text] of ADVERSARIAL_INPUTS) expect(text.length, name).toBe(1 << 20);
  });
});

describe('stageCosts', () => {
  it('reports a mean per text for every stage, in the given order', () => {
    const costs = stageCosts(
      ['ab', 'cd'],
      (t) => t.toUpperCase(),
      [
        ['length', (t: string) => t.length],
        ['repeat', (t: string) => t.repeat(1000)],
      ],
      2,
    );
    expect(costs.map((c) => c.name)).toEqual(['length', 'repeat']);
    for (const c of costs) expect(c.micros).toBeGreaterThanOrEqual(0);
  });
});
