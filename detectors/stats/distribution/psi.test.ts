import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PSI_EPSILON, populationStabilityIndex } from './psi.js';

// Written by fixtures/make_fixtures.py: a direct numpy computation (proportions, zeros replaced by 1e-4).
interface Case {
  name: string;
  reference: number[];
  current: number[];
  psi: number;
}
const fixture = JSON.parse(readFileSync(new URL('fixtures/psi.json', import.meta.url), 'utf8')) as {
  epsilon: number;
  cases: Case[];
};

describe('populationStabilityIndex against numpy (relative 1e-12, absolute 1e-15 at 0)', () => {
  it('uses the same epsilon as the fixture', () => {
    expect(PSI_EPSILON).toBe(fixture.epsilon);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const psi = populationStabilityIndex(c.reference, c.current);
      expect(Math.abs(psi - c.psi)).toBeLessThanOrEqual(Math.max(1e-12 * Math.abs(c.psi), 1e-15));
    });
  }
});

describe('populationStabilityIndex properties', () => {
  it('is symmetric and 0 for proportional counts', () => {
    expect(populationStabilityIndex([1, 2, 3], [2, 4, 6])).toBe(0);
    expect(populationStabilityIndex([5, 1, 4], [2, 6, 2])).toBeCloseTo(
      populationStabilityIndex([2, 6, 2], [5, 1, 4]),
      15,
    );
  });

  it('refuses mismatched lengths, negative counts and empty sides', () => {
    expect(() => populationStabilityIndex([1, 2], [1])).toThrow(RangeError);
    expect(() => populationStabilityIndex([1, -2], [1, 2])).toThrow(RangeError);
    expect(() => populationStabilityIndex([0, 0], [1, 2])).toThrow(RangeError);
  });
});
