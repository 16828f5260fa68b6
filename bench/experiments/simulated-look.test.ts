import { describe, expect, it } from 'vitest';
import { emptyMoments, mean, variance } from '../../detectors/stats/experiment/arm-moments.js';
import { seededRandom } from '../../detectors/stats/seeded-random.js';
import { controlMean, drawLook, type UnitModel } from './simulated-look.js';
import { Variates } from './variates.js';

function drawMany(model: UnitModel, looks: number, units: number) {
  const variates = new Variates(seededRandom(11));
  const control = emptyMoments();
  const treatment = emptyMoments();
  for (let i = 0; i < looks; i++) drawLook(variates, model, units, control, treatment);
  return { control, treatment };
}

describe('drawLook', () => {
  it('splits the units by the treatment share and adds every one of them', () => {
    const { control, treatment } = drawMany(
      { metric: 'binary', baseRate: 0.1, effect: 0, treatmentShare: 0.05 },
      10,
      10_000,
    );
    expect(control.n + treatment.n).toBe(100_000);
    // Binomial(100000, 0.05): sd 69.
    expect(Math.abs(treatment.n - 5000)).toBeLessThan(350);
  });

  it('draws conversions at the base rate, lifted by the effect in treatment', () => {
    const { control, treatment } = drawMany(
      { metric: 'binary', baseRate: 0.05, effect: 0.2, treatmentShare: 0.5 },
      20,
      20_000,
    );
    expect(control.sumY).toBe(control.sumY2);
    expect(mean(control)).toBeCloseTo(0.05, 2);
    expect(mean(treatment) / mean(control)).toBeGreaterThan(1.15);
    expect(mean(treatment) / mean(control)).toBeLessThan(1.25);
  });

  it('draws revenue with many zeros and the mean the model gives, scaled by the effect in treatment', () => {
    const model: UnitModel = { metric: 'continuous', baseRate: 0.2, effect: 0.5, treatmentShare: 0.5 };
    const { control, treatment } = drawMany(model, 20, 20_000);
    // Mean 0.2·e^0.5 = 0.33 and a unit's variance 0.2·e² − 0.33² = 1.37: over 200000 / 2 units the mean's sd is 0.004.
    expect(Math.abs(mean(control) - controlMean(model))).toBeLessThan(0.02);
    expect(variance(control)).toBeGreaterThan(1);
    expect(mean(treatment) / mean(control)).toBeGreaterThan(1.4);
    expect(mean(treatment) / mean(control)).toBeLessThan(1.6);
    expect(control.sumX).toBe(0);
  });
});
