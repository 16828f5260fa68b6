import type { ArmMoments } from '../../detectors/stats/experiment/arm-moments.js';
import type { Variates } from './variates.js';

export type SimulatedMetric = 'binary' | 'continuous';

/** What one simulated experiment's units look like. */
export interface UnitModel {
  metric: SimulatedMetric;
  /** Binary: the control's conversion rate. Continuous: the share of units with a non-zero value. */
  baseRate: number;
  /** Relative lift of the treatment's mean over the control's (0.1 = +10%; 0 for an A/A test). */
  effect: number;
  /** Share of units assigned to treatment, in (0, 1). */
  treatmentShare: number;
}

/**
 * The continuous metric: revenue with many zeros, as a purchase with
 * probability baseRate and then a lognormal amount (μ 0, σ 1, so mean
 * e^0.5 and a long right tail); the treatment's amounts are scaled by
 * 1 + effect, which lifts its mean by exactly `effect`.
 */
const LOG_AMOUNT_MU = 0;
const LOG_AMOUNT_SIGMA = 1;

/**
 * Draws `units` new units and adds them to the arms' moments, each unit
 * assigned to treatment with probability treatmentShare. Counts come from
 * binomial draws (assignment, conversions, purchases), so a binary look costs
 * a few draws whatever its size and a continuous one a draw per purchase;
 * the moments are the same as adding each unit in turn. No covariate.
 */
export function drawLook(
  variates: Variates,
  model: UnitModel,
  units: number,
  control: ArmMoments,
  treatment: ArmMoments,
): void {
  const treated = variates.binomial(units, model.treatmentShare);
  addArm(variates, model, units - treated, control, 1, model.baseRate);
  if (model.metric === 'binary')
    addArm(variates, model, treated, treatment, 1, model.baseRate * (1 + model.effect));
  else addArm(variates, model, treated, treatment, 1 + model.effect, model.baseRate);
}

function addArm(
  variates: Variates,
  model: UnitModel,
  n: number,
  m: ArmMoments,
  amountScale: number,
  rate: number,
): void {
  const hits = variates.binomial(n, rate);
  m.n += n;
  m.nonZero += hits;
  if (model.metric === 'binary') {
    // y ∈ {0, 1}: the sum of y² is the sum of y.
    m.sumY += hits;
    m.sumY2 += hits;
    return;
  }
  for (let i = 0; i < hits; i++) {
    const y = amountScale * variates.lognormal(LOG_AMOUNT_MU, LOG_AMOUNT_SIGMA);
    m.sumY += y;
    m.sumY2 += y * y;
  }
}

/** Mean value of one control unit under the model: the conversion rate, or the purchase rate times e^(μ + σ²/2). */
export function controlMean(model: UnitModel): number {
  if (model.metric === 'binary') return model.baseRate;
  return model.baseRate * Math.exp(LOG_AMOUNT_MU + (LOG_AMOUNT_SIGMA * LOG_AMOUNT_SIGMA) / 2);
}
