import { describe, expect, it } from 'vitest';
import { embeddingDriftFixtures } from './fixtures/embedding-drift-fixtures.js';
import { MeanVector } from './mean-vector.js';

const { cases } = embeddingDriftFixtures();

function accumulate(vectors: readonly ArrayLike<number>[]): MeanVector {
  const m = new MeanVector(vectors[0]!.length);
  for (const v of vectors) m.add(v);
  return m;
}

/** |actual - expected| within relative `rel` of expected, or `abs` near zero. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(rel * Math.abs(expected[i]!) + abs);
  }
}

describe('MeanVector', () => {
  it.each(cases)('matches numpy mean and var(ddof=1) to relative 1e-12: $name', (c) => {
    const m = accumulate(c.reference);
    expect(m.count).toBe(c.reference.length);
    expectClose(m.mean(), c.referenceMean, 1e-12, 1e-15);
    // Sums of squares lose some digits to cancellation beside numpy's two passes.
    expectClose(m.variance(), c.referenceVariance, 1e-10);
  });

  it('merges to the same sums as adding every vector to one accumulator', () => {
    const c = cases[1]!;
    const merged = accumulate(c.reference).merge(accumulate(c.current));
    const all = accumulate([...c.reference, ...c.current]);
    expect(merged.count).toBe(all.count);
    expectClose(merged.sums, all.sums, 1e-14, 1e-14);
    expectClose(merged.sumSquares, all.sumSquares, 1e-14);
  });

  it('round-trips a snapshot through JSON exactly', () => {
    const m = accumulate(cases[0]!.reference);
    const back = MeanVector.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(back.count).toBe(m.count);
    expect(back.sums).toEqual(m.sums);
    expect(back.sumSquares).toEqual(m.sumSquares);
  });

  it('refuses malformed vectors without changing, and undefined statistics', () => {
    const m = new MeanVector(2);
    expect(() => m.mean()).toThrow(RangeError);
    expect(() => m.add([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => m.add([1, 2, 3])).toThrow(RangeError);
    expect(m.count).toBe(0);
    expect(Array.from(m.sums)).toEqual([0, 0]);
    m.add([1, 2]);
    expect(() => m.variance()).toThrow(RangeError);
    expect(Array.from(m.variance(0))).toEqual([0, 0]);
    expect(() => m.merge(new MeanVector(3))).toThrow(RangeError);
    expect(() => MeanVector.fromJSON({ dims: 2, count: 1, sums: [1], sumSquares: [1, 1] })).toThrow(
      RangeError,
    );
  });
});
