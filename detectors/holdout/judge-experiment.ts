import { type ArmMoments, mean, variance } from '../stats/experiment/arm-moments.js';
import { sequentialInterval } from '../stats/experiment/confidence-sequence.js';
import { fixedHorizonLift, type Interval } from '../stats/experiment/lift.js';
import { type SampleRatioResult, sampleRatioCheck } from '../stats/experiment/sample-ratio.js';
import type { ExperimentConfig, MetricType } from './experiment-config.js';

/**
 * `collecting`: an arm has fewer units than min_units_per_arm, or fewer
 * units with an outcome than min_outcomes_per_arm; `untrusted`:
 * the split failed its sample-ratio check; otherwise the always-valid
 * interval of the relative lift (the absolute one when the control's mean
 * is 0) decides: above zero `positive`, below zero `negative`, across it
 * `inconclusive`.
 */
export type Verdict = 'collecting' | 'untrusted' | 'positive' | 'negative' | 'inconclusive';

export interface LiftReading {
  /** The fixed-horizon interval: valid read once, at a horizon fixed in advance. */
  fixed: Interval;
  /** The always-valid interval: keeps its coverage however often it is read. */
  sequential: Interval;
}

export interface Comparison {
  arm: string;
  control: string;
  absolute: LiftReading;
  /** Null when the control's mean is 0 and a relative lift means nothing. */
  relative: LiftReading | null;
  /** Welch–Satterthwaite degrees of freedom of the fixed-horizon test. */
  df: number;
  cuped: boolean;
  verdict: Verdict;
}

export interface MetricResult {
  name: string;
  type: MetricType;
  arms: Array<{
    arm: string;
    units: number;
    withOutcome: number;
    mean: number | null;
    variance: number | null;
  }>;
  comparisons: Comparison[];
}

export interface ExperimentResult {
  id: string;
  evaluatedAt: string;
  units: { total: number; crossed: number; pending: number };
  arms: Array<{ arm: string; expectedShare: number; units: number; share: number | null }>;
  srm: SampleRatioResult;
  metrics: MetricResult[];
}

/** The numbers of one experiment from its units' moments, per metric and treatment arm against the control. */
export function judgeExperiment(
  config: ExperimentConfig,
  moments: ArmMoments[][],
  units: { armUnits: readonly number[]; crossed: number; pending: number },
  now: Date,
): ExperimentResult {
  const total = units.armUnits.reduce((a, b) => a + b, 0);
  const srm = sampleRatioCheck(
    units.armUnits,
    config.arms.map((a) => a.weight),
    config.srm,
  );
  const control = config.control;
  const controlName = config.arms[control]!.name;
  const enough = (m: ArmMoments) => m.n >= config.minUnitsPerArm && m.nonZero >= config.minOutcomesPerArm;
  const metrics = config.metrics.map((metric, m): MetricResult => {
    const comparisons: Comparison[] = [];
    const c = moments[control]![m]!;
    for (let a = 0; a < config.arms.length; a++) {
      if (a === control) continue;
      const t = moments[a]![m]!;
      const lift = fixedHorizonLift(t, c, { alpha: config.alpha, cuped: metric.covariate !== null });
      if (!lift) continue;
      const n = t.n + c.n;
      const reading = (fixed: Interval): LiftReading => ({
        fixed,
        sequential: sequentialInterval(
          fixed.estimate,
          fixed.standardError,
          n,
          config.alpha,
          config.sequentialTuning,
        ),
      });
      const absolute = reading(lift.absolute);
      const relative = Number.isFinite(lift.relative.estimate) ? reading(lift.relative) : null;
      let verdict: Verdict;
      if (!enough(t) || !enough(c)) verdict = 'collecting';
      else if (srm.mismatch) verdict = 'untrusted';
      else if ((relative ?? absolute).sequential.lower > 0) verdict = 'positive';
      else if ((relative ?? absolute).sequential.upper < 0) verdict = 'negative';
      else verdict = 'inconclusive';
      comparisons.push({
        arm: config.arms[a]!.name,
        control: controlName,
        absolute,
        relative,
        df: lift.df,
        cuped: metric.covariate !== null,
        verdict,
      });
    }
    return {
      name: metric.name,
      type: metric.type,
      arms: config.arms.map((arm, a) => {
        const mm = moments[a]![m]!;
        return {
          arm: arm.name,
          units: mm.n,
          withOutcome: mm.nonZero,
          mean: mm.n > 0 ? mean(mm) : null,
          variance: mm.n > 1 ? variance(mm) : null,
        };
      }),
      comparisons,
    };
  });
  return {
    id: config.id,
    evaluatedAt: now.toISOString(),
    units: { total, crossed: units.crossed, pending: units.pending },
    arms: config.arms.map((arm, a) => ({
      arm: arm.name,
      expectedShare: arm.weight,
      units: units.armUnits[a]!,
      share: total > 0 ? units.armUnits[a]! / total : null,
    })),
    srm,
    metrics,
  };
}
