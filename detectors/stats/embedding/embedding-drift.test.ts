import { describe, expect, it } from 'vitest';
import {
  driftedComponents,
  embeddingDrift,
  meanCosineDistance,
  standardizedMeanDifferences,
} from './embedding-drift.js';
import { embeddingDriftFixtures } from './fixtures/embedding-drift-fixtures.js';
import { gaussianVectors } from './gaussian-vectors.js';
import { MeanVector } from './mean-vector.js';
import { unbiasedMmd2 } from './mmd.js';

const { componentThreshold, cases } = embeddingDriftFixtures();

function accumulate(vectors: readonly ArrayLike<number>[]): MeanVector {
  const m = new MeanVector(vectors[0]!.length);
  for (const v of vectors) m.add(v);
  return m;
}

describe('embedding drift measures against numpy and scipy', () => {
  it.each(cases)('$name', (c) => {
    const ref = accumulate(c.reference);
    const cur = accumulate(c.current);
    // scipy.spatial.distance.cosine, relative 1e-9 (1e-15 absolute for identical means).
    const cos = meanCosineDistance(ref, cur);
    expect(Math.abs(cos - c.meanCosineDistance)).toBeLessThanOrEqual(1e-9 * c.meanCosineDistance + 1e-15);
    // numpy standardized mean differences, relative 1e-9.
    const smd = standardizedMeanDifferences(ref, cur);
    c.standardizedMeanDifferences.forEach((e, d) => {
      expect(Math.abs(smd[d]! - e)).toBeLessThanOrEqual(1e-9 * e + 1e-15);
    });
    expect(driftedComponents(ref, cur, componentThreshold)).toBe(c.driftedComponents);

    const drift = embeddingDrift(
      { sample: c.reference, mean: ref },
      { sample: c.current, mean: cur },
      { permutations: 19, seed: 5 },
    );
    expect(drift.mmd).toMatchObject({ ...unbiasedMmd2(c.reference, c.current), permutations: 19 });
    expect(drift.meanCosineDistance).toBe(cos);
    expect(drift.driftedComponents).toBe(c.driftedComponents);
    expect(drift.driftedComponentShare).toBe(c.driftedComponents / c.referenceMean.length);
    expect(drift.componentThreshold).toBe(0.1);
  });
});

describe('embeddingDrift', () => {
  it('reads the means from every event, not only the sample', () => {
    // The samples agree; the accumulators, covering all events, do not.
    const sample = gaussianVectors(10, 6, 1);
    const ref = accumulate(gaussianVectors(2000, 6, 2));
    const cur = accumulate(gaussianVectors(2000, 6, 3, [0.5, 0.5, 0.5, 0, 0, 0]));
    const drift = embeddingDrift({ sample, mean: ref }, { sample, mean: cur }, { permutations: 9 });
    expect(drift.mmd.pValue).toBe(1);
    expect(drift.driftedComponents).toBe(3);
    expect(drift.driftedComponentShare).toBe(0.5);
    expect(
      embeddingDrift({ sample, mean: ref }, { sample, mean: cur }, { componentThreshold: 1 })
        .driftedComponents,
    ).toBe(0);
  });

  it('counts a component drifted only strictly above the threshold', () => {
    // Means 0 and 1, pooled sd sqrt((2 + 2) / 2) = sqrt(2): SMD 1 / sqrt(2).
    const ref = accumulate([[-1], [1]]);
    const cur = accumulate([[0], [2]]);
    const smd = standardizedMeanDifferences(ref, cur)[0]!;
    expect(smd).toBeCloseTo(Math.SQRT1_2, 15);
    expect(driftedComponents(ref, cur, smd)).toBe(0);
    expect(driftedComponents(ref, cur, smd * (1 - 1e-12))).toBe(1);
  });

  it('handles constant components and zero means', () => {
    const ref = accumulate([
      [1, 0],
      [1, 0],
    ]);
    const cur = accumulate([
      [1, 0],
      [2, 0],
    ]);
    expect(Array.from(standardizedMeanDifferences(ref, ref))).toEqual([0, 0]);
    expect(Number.isNaN(meanCosineDistance(ref, accumulate([[0, 0]])))).toBe(true);
    expect(meanCosineDistance(ref, ref)).toBe(0);
    expect(meanCosineDistance(accumulate([[1, 0]]), accumulate([[-1, 0]]))).toBe(2);
    expect(meanCosineDistance(accumulate([[1e-200, 0]]), accumulate([[1e-200, 1e-200]]))).toBeCloseTo(
      1 - Math.SQRT1_2,
      15,
    );
    expect(driftedComponents(ref, cur)).toBe(1);
  });

  it('refuses windows it cannot compare', () => {
    const a = accumulate([[1, 2]]);
    expect(() => meanCosineDistance(a, new MeanVector(2))).toThrow(RangeError);
    expect(() => meanCosineDistance(a, accumulate([[1, 2, 3]]))).toThrow(RangeError);
    expect(() => standardizedMeanDifferences(a, a)).toThrow(RangeError);
    expect(() =>
      driftedComponents(
        a,
        accumulate([
          [1, 2],
          [3, 4],
        ]),
        -1,
      ),
    ).toThrow(RangeError);
    const sample = [
      [1, 2],
      [3, 4],
    ];
    expect(() => embeddingDrift({ sample, mean: a }, { sample: [[1], [2]], mean: a })).toThrow(RangeError);
  });
});
