import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ArmMoments, addUnit, emptyMoments } from './arm-moments.js';
import { fixedHorizonLift, type Interval } from './lift.js';

// Written by fixtures/make_fixtures.py from scipy 1.10.1 and statsmodels 0.13.5 on the raw units:
// ttest_ind(equal_var=False) and t.ppf for the absolute lift (on the CUPED-adjusted units under CUPED),
// the delta method in numpy for the relative lift, and statsmodels OLS as a cross-check of CUPED.
interface Case {
  name: string;
  alpha: number;
  cuped: boolean;
  treatment: ArmMoments;
  control: ArmMoments;
  absolute: Interval;
  relative: Interval;
  df: number;
  theta?: number;
  olsEstimate?: number;
}
const fixture = JSON.parse(readFileSync(new URL('fixtures/lift.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  olsToleranceInStandardErrors: number;
};

/**
 * Estimates, standard errors and df: relative 1e-12 (closed forms; one-pass sums against numpy's
 * two-pass variance, 2e-14 apart here). p-values: relative 1e-11 (stdlib's t cdf agrees with
 * scipy's to about 1e-14; the rest is the t statistic's rounding, magnified by t² in the far tail:
 * 8e-13 at p = 1e-114). Interval bounds: 1e-9 of the larger of the bound and the standard error
 * (5e-11 here), since stdlib's t quantile is good to only about 6e-10 at df near 1.5 where scipy's
 * is good to 1e-15.
 */
const CLOSED_FORM_TOLERANCE = 1e-12;
const P_TOLERANCE = 1e-11;
const BOUND_TOLERANCE = 1e-9;

function expectRelative(
  actual: number,
  expected: number,
  tolerance: number,
  label: string,
  scale?: number,
): void {
  const s = scale ?? Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect.soft(Math.abs(actual - expected) / s, label).toBeLessThanOrEqual(tolerance);
}

function expectInterval(actual: Interval, expected: Interval, label: string): void {
  expectRelative(
    actual.estimate,
    expected.estimate,
    CLOSED_FORM_TOLERANCE,
    `${label} estimate`,
    Math.max(Math.abs(expected.estimate), expected.standardError),
  );
  expectRelative(
    actual.standardError,
    expected.standardError,
    CLOSED_FORM_TOLERANCE,
    `${label} standard error`,
  );
  const scale = (bound: number) => Math.max(Math.abs(bound), expected.standardError);
  expectRelative(actual.lower, expected.lower, BOUND_TOLERANCE, `${label} lower`, scale(expected.lower));
  expectRelative(actual.upper, expected.upper, BOUND_TOLERANCE, `${label} upper`, scale(expected.upper));
  expectRelative(actual.pValue, expected.pValue, P_TOLERANCE, `${label} p-value`);
}

describe(`fixedHorizonLift against scipy (closed forms ${CLOSED_FORM_TOLERANCE}, p-values ${P_TOLERANCE}, bounds ${BOUND_TOLERANCE})`, () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const lift = fixedHorizonLift(c.treatment, c.control, { alpha: c.alpha, cuped: c.cuped });
      expect(lift).not.toBeNull();
      expectRelative(lift!.df, c.df, CLOSED_FORM_TOLERANCE, 'df');
      expectInterval(lift!.absolute, c.absolute, 'absolute');
      expectInterval(lift!.relative, c.relative, 'relative');
    });
  }
});

describe('CUPED against statsmodels OLS of y on treatment and the centred covariate', () => {
  const tolerance = fixture.olsToleranceInStandardErrors;
  for (const c of fixture.cases.filter((x) => x.cuped)) {
    it(`${c.name}: within ${tolerance} standard errors`, () => {
      const lift = fixedHorizonLift(c.treatment, c.control, { alpha: c.alpha, cuped: true })!;
      const gap = Math.abs(lift.absolute.estimate - c.olsEstimate!) / lift.absolute.standardError;
      expect(gap).toBeLessThanOrEqual(tolerance);
    });
  }

  it('narrows the interval when the covariate predicts the outcome, and changes nothing without cuped', () => {
    const strong = fixture.cases.find((x) => x.name.startsWith('CUPED 50/50, strong'))!;
    const adjusted = fixedHorizonLift(strong.treatment, strong.control, { alpha: 0.05, cuped: true })!;
    const plain = fixedHorizonLift(strong.treatment, strong.control, { alpha: 0.05 })!;
    expect(adjusted.absolute.standardError).toBeLessThan(plain.absolute.standardError / 2);
    const unadjustedDifference =
      strong.treatment.sumY / strong.treatment.n - strong.control.sumY / strong.control.n;
    expect(plain.absolute.estimate).toBeCloseTo(unadjustedDifference, 12);
  });
});

function arm(ys: number[]): ArmMoments {
  const m = emptyMoments();
  for (const y of ys) addUnit(m, y);
  return m;
}

describe('fixedHorizonLift edge cases', () => {
  it('is null while either arm has fewer than two units', () => {
    expect(fixedHorizonLift(arm([1]), arm([1, 2, 3]), { alpha: 0.05 })).toBeNull();
    expect(fixedHorizonLift(arm([1, 2]), arm([]), { alpha: 0.05 })).toBeNull();
  });

  it('reports the absolute lift and a NaN relative lift when the control mean is 0', () => {
    const lift = fixedHorizonLift(arm([0, 1, 0, 1]), arm([0, 0, 0]), { alpha: 0.05 })!;
    expect(lift.absolute.estimate).toBe(0.5);
    expect(lift.absolute.pValue).toBeGreaterThan(0);
    for (const v of Object.values(lift.relative)) expect(v).toBeNaN();
  });

  it('treats arms without variation as the limit of the t-test: equal p 1, different p 0', () => {
    const same = fixedHorizonLift(arm([0, 0, 0]), arm([0, 0]), { alpha: 0.05 })!;
    expect(same.absolute).toEqual({ estimate: 0, standardError: 0, lower: 0, upper: 0, pValue: 1 });
    const different = fixedHorizonLift(arm([2, 2, 2]), arm([1, 1]), { alpha: 0.05 })!;
    expect(different.absolute).toEqual({ estimate: 1, standardError: 0, lower: 1, upper: 1, pValue: 0 });
    expect(different.relative.estimate).toBe(1);
    expect(different.relative.pValue).toBe(0);
    expect(different.df).toBe(1);
  });

  it('equals the plain test under cuped when no unit has a covariate', () => {
    const t = arm([1, 4, 2, 8, 5]);
    const c = arm([2, 3, 1, 2]);
    expect(fixedHorizonLift(t, c, { alpha: 0.05, cuped: true })).toEqual(
      fixedHorizonLift(t, c, { alpha: 0.05 }),
    );
  });

  it('has an interval that excludes 0 exactly when p < alpha', () => {
    const t = arm([3, 4, 5, 6, 7, 5, 4]);
    for (const shift of [0, 0.5, 1, 1.5, 2, 3]) {
      const c = arm([3, 4, 5, 6, 7, 5, 4].map((y) => y - shift));
      const lift = fixedHorizonLift(t, c, { alpha: 0.05 })!;
      for (const i of [lift.absolute, lift.relative])
        expect(i.lower > 0 || i.upper < 0).toBe(i.pValue < 0.05);
    }
  });

  it('refuses an alpha outside (0, 1)', () => {
    for (const alpha of [0, 1, -0.1, Number.NaN]) {
      expect(() => fixedHorizonLift(arm([1, 2]), arm([1, 2]), { alpha })).toThrow(RangeError);
    }
  });
});
