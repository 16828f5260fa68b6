import { emptyMoments } from '../../detectors/stats/experiment/arm-moments.js';
import { DEFAULT_TUNING, sequentialInterval } from '../../detectors/stats/experiment/confidence-sequence.js';
import { fixedHorizonLift } from '../../detectors/stats/experiment/lift.js';
import { seededRandom } from '../../detectors/stats/seeded-random.js';
import { drawLook, type SimulatedMetric } from './simulated-look.js';
import { Variates } from './variates.js';

export interface PeekingOptions {
  experiments: number;
  /** Times each experiment is read, one batch of units apart. */
  looks: number;
  unitsPerLook: number;
  /** [control share, treatment share]; need not sum to 1. */
  split: [number, number];
  /** Binary: the control's conversion rate. Continuous: the share of units with a non-zero value (revenue). */
  baseRate: number;
  /** Relative lift injected into the treatment's mean; 0 for an A/A test. */
  effect: number;
  alpha: number;
  /** Units of both arms at which the confidence sequence is tightest; DEFAULT_TUNING unless given. */
  tuning?: number;
  seed: number;
  metric: SimulatedMetric;
  /**
   * Neither test is read before each arm has this many units (default 2, the
   * least a variance needs). Both tests lean on the central limit theorem,
   * which a skewed metric in a small arm does not yet satisfy early on.
   */
  minUnitsPerArm?: number;
  /** Nothing is read before each arm has this many units with an outcome (conversions, buyers). */
  minOutcomesPerArm?: number;
}

export interface PeekingResult {
  experiments: number;
  looks: number;
  /** Share of experiments whose fixed-horizon p-value fell below alpha at any look (the peeking error). */
  fixedHorizonRejectRate: number;
  /** Share of experiments whose always-valid p-value fell below alpha at any look. */
  sequentialRejectRate: number;
  /** Share whose fixed-horizon p-value was below alpha at the last look: the test used as designed, read once. */
  fixedHorizonFinalLookRejectRate: number;
  /** Median look of the sequential test's first rejection, over the experiments it rejected; null when none. */
  medianLooksToDetection: number | null;
  /** The same in units of both arms (looks × unitsPerLook); null when none. */
  medianUnitsToDetection: number | null;
}

/**
 * What peeking costs, and what the confidence sequence buys back. Each
 * simulated experiment draws its units one look at a time into the two
 * arms' moments and, after every look, reads the relative lift of treatment
 * over control both ways: the fixed-horizon Welch t-test (lift.ts) and the
 * always-valid confidence sequence on the same estimate and standard error
 * (confidence-sequence.ts). A method "rejects" if its p-value is below alpha
 * at any look, which is how a dashboard refreshed daily is read. With no
 * effect (A/A) that is the false positive rate: the t-test's climbs far above
 * alpha with the number of looks (about 30% at 50 looks), the sequence's
 * stays below alpha, as long as the central limit theorem it leans on holds
 * from the first look read: a skewed metric in a small arm breaks that early
 * on, which `minUnitsPerArm` is there to measure.
 *
 * Deterministic for a seed. Moments only: a look costs a few binomial draws
 * (and a lognormal per purchase for the continuous metric), whatever its size.
 */
export function runPeekingSimulation(options: PeekingOptions): PeekingResult {
  const { experiments, looks, unitsPerLook, split, baseRate, effect, alpha, seed, metric } = options;
  const tuning = options.tuning ?? DEFAULT_TUNING;
  const minUnits = options.minUnitsPerArm ?? 2;
  const minOutcomes = options.minOutcomesPerArm ?? 0;
  validate(options);
  const model = {
    metric,
    baseRate,
    effect,
    treatmentShare: split[1] / (split[0] + split[1]),
  };
  const variates = new Variates(seededRandom(seed));
  let fixedAny = 0;
  let fixedFinal = 0;
  const detectionLooks: number[] = [];
  for (let e = 0; e < experiments; e++) {
    const control = emptyMoments();
    const treatment = emptyMoments();
    let fixedRejected = false;
    let sequentialLook = 0;
    for (let look = 1; look <= looks; look++) {
      drawLook(variates, model, unitsPerLook, control, treatment);
      if (treatment.n < minUnits || control.n < minUnits) continue;
      if (treatment.nonZero < minOutcomes || control.nonZero < minOutcomes) continue;
      const lift = fixedHorizonLift(treatment, control, { alpha });
      if (!lift) continue;
      // NaN (a control mean of 0 early on) compares false: no rejection.
      const { relative } = lift;
      const fixedRejects = relative.pValue < alpha;
      if (fixedRejects) fixedRejected = true;
      if (look === looks && fixedRejects) fixedFinal++;
      if (sequentialLook === 0) {
        const n = treatment.n + control.n;
        const sequential = sequentialInterval(relative.estimate, relative.standardError, n, alpha, tuning);
        if (sequential.pValue < alpha) sequentialLook = look;
      }
    }
    if (fixedRejected) fixedAny++;
    if (sequentialLook > 0) detectionLooks.push(sequentialLook);
  }
  const medianLooks = median(detectionLooks);
  return {
    experiments,
    looks,
    fixedHorizonRejectRate: fixedAny / experiments,
    sequentialRejectRate: detectionLooks.length / experiments,
    fixedHorizonFinalLookRejectRate: fixedFinal / experiments,
    medianLooksToDetection: medianLooks,
    medianUnitsToDetection: medianLooks === null ? null : medianLooks * unitsPerLook,
  };
}

/** The median (the mean of the middle two for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function validate(o: PeekingOptions): void {
  const positiveInteger = (v: number) => Number.isInteger(v) && v > 0;
  if (!positiveInteger(o.experiments) || !positiveInteger(o.looks) || !positiveInteger(o.unitsPerLook)) {
    throw new RangeError('peeking: experiments, looks and unitsPerLook must be positive integers');
  }
  if (!(o.split[0] > 0 && o.split[1] > 0 && Number.isFinite(o.split[0] + o.split[1]))) {
    throw new RangeError(`peeking: both split shares must be positive, got ${o.split.join('/')}`);
  }
  if (!(o.baseRate > 0 && o.baseRate < 1))
    throw new RangeError(`peeking: baseRate must be in (0, 1), got ${o.baseRate}`);
  if (!(o.effect > -1)) throw new RangeError(`peeking: effect must be above -1, got ${o.effect}`);
  if (o.metric === 'binary' && !(o.baseRate * (1 + o.effect) <= 1)) {
    throw new RangeError(
      `peeking: the treatment's conversion rate ${o.baseRate * (1 + o.effect)} is above 1`,
    );
  }
  if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`peeking: alpha must be in (0, 1), got ${o.alpha}`);
  if (o.minUnitsPerArm !== undefined && !(o.minUnitsPerArm >= 0)) {
    throw new RangeError(`peeking: minUnitsPerArm must be non-negative, got ${o.minUnitsPerArm}`);
  }
}
