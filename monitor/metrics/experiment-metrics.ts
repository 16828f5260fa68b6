import { Counter, Gauge, type Registry } from 'prom-client';
import type { ExperimentConfig } from '../../detectors/holdout/experiment-config.js';
import { EXPOSURE_RESULTS, OUTCOME_RESULTS } from '../../detectors/holdout/experiment-tracker.js';
import type { ExperimentResult } from '../../detectors/holdout/judge-experiment.js';

/** One experiment as the detector hands it over after an evaluation. */
export interface ExperimentReading {
  config: ExperimentConfig;
  result: ExperimentResult | null;
  events: { exposures: Record<string, number>; outcomes: Record<string, number> };
  memoryBytes: number;
}

const VERDICT_VALUE = { positive: 1, negative: -1 } as Record<string, number>;

/**
 * The holdout experiments' metrics. Labels are the experiment ids, arm and
 * metric names of their definitions (configuration or the experiments API),
 * never values from events. Gauges are rebuilt at each evaluation, so a
 * removed experiment's series go with it; event counters only grow.
 */
export class ExperimentMetrics {
  readonly units: Gauge<'experiment' | 'arm'>;
  readonly crossedUnits: Gauge<'experiment'>;
  readonly mean: Gauge<'experiment' | 'metric' | 'arm'>;
  readonly lift: Gauge<'experiment' | 'metric' | 'arm' | 'scale'>;
  readonly liftBound: Gauge<'experiment' | 'metric' | 'arm' | 'scale' | 'interval' | 'bound'>;
  readonly pValue: Gauge<'experiment' | 'metric' | 'arm' | 'test'>;
  readonly verdict: Gauge<'experiment' | 'metric' | 'arm'>;
  readonly srmPValue: Gauge<'experiment'>;
  readonly srm: Gauge<'experiment'>;
  readonly memory: Gauge<'experiment'>;
  readonly events: Counter<'experiment' | 'role' | 'result'>;
  readonly unknownExposures: Counter;
  /** What the counters were last advanced to, since the detector keeps running totals. */
  private readonly published = new Map<string, number>();
  private unknownPublished = 0;

  constructor(registry: Registry) {
    const registers = [registry];
    this.units = new Gauge({
      name: 'earshot_experiment_units',
      help: 'Units counted in an experiment arm (first exposure fixes the arm; crossed units excluded).',
      labelNames: ['experiment', 'arm'],
      registers,
    });
    this.crossedUnits = new Gauge({
      name: 'earshot_experiment_crossover_units',
      help: 'Units exposed to more than one arm, left out of the statistics.',
      labelNames: ['experiment'],
      registers,
    });
    this.mean = new Gauge({
      name: 'earshot_experiment_metric_mean',
      help: 'Mean of a metric per unit in an arm: a rate for binary metrics, a mean value for continuous ones.',
      labelNames: ['experiment', 'metric', 'arm'],
      registers,
    });
    this.lift = new Gauge({
      name: 'earshot_experiment_lift',
      help: 'Lift of an arm over the control: scale absolute (difference of means) or relative (ratio - 1).',
      labelNames: ['experiment', 'metric', 'arm', 'scale'],
      registers,
    });
    this.liftBound = new Gauge({
      name: 'earshot_experiment_lift_bound',
      help: 'Bounds of the lift interval: interval fixed (fixed horizon, valid read once) or sequential (always valid).',
      labelNames: ['experiment', 'metric', 'arm', 'scale', 'interval', 'bound'],
      registers,
    });
    this.pValue = new Gauge({
      name: 'earshot_experiment_p_value',
      help: 'p-value of the absolute lift: test fixed (Welch t, fixed horizon) or sequential (always valid).',
      labelNames: ['experiment', 'metric', 'arm', 'test'],
      registers,
    });
    this.verdict = new Gauge({
      name: 'earshot_experiment_verdict',
      help: '1 when the always-valid interval lies above zero (lift_positive), -1 below (lift_negative), else 0.',
      labelNames: ['experiment', 'metric', 'arm'],
      registers,
    });
    this.srmPValue = new Gauge({
      name: 'earshot_experiment_srm_p_value',
      help: 'p-value of the sample-ratio check (chi-square goodness of fit against the expected split).',
      labelNames: ['experiment'],
      registers,
    });
    this.srm = new Gauge({
      name: 'earshot_experiment_srm',
      help: '1 while the split fails its sample-ratio check (an srm finding), else 0.',
      labelNames: ['experiment'],
      registers,
    });
    this.memory = new Gauge({
      name: 'earshot_experiment_memory_bytes',
      help: 'Memory held by an experiment’s units and outcomes.',
      labelNames: ['experiment'],
      registers,
    });
    this.events = new Counter({
      name: 'earshot_experiment_events_total',
      help: 'Experiment events by role (exposure, outcome) and what became of them (new, repeat, crossover, added, duplicate, late, unexposed, ...).',
      labelNames: ['experiment', 'role', 'result'],
      registers,
    });
    this.unknownExposures = new Counter({
      name: 'earshot_experiment_unknown_exposures_total',
      help: 'Exposure events naming an experiment that is not defined, ignored.',
      registers,
    });
  }

  /** Drops a removed experiment's counters, so one defined again under its id counts from 0. */
  forget(experiment: string): void {
    for (const key of [...this.published.keys()]) {
      if (!key.startsWith(`${experiment}\u0000`)) continue;
      const [, role, result] = key.split('\u0000');
      this.events.remove({ experiment, role: role!, result: result! });
      this.published.delete(key);
    }
  }

  /** Sets every experiment gauge from the latest evaluation and advances the event counters. */
  publish(readings: readonly ExperimentReading[], unknownExposures: number): void {
    for (const g of [this.units, this.crossedUnits, this.mean, this.lift, this.liftBound]) g.reset();
    for (const g of [this.pValue, this.verdict, this.srmPValue, this.srm, this.memory]) g.reset();
    for (const r of readings) this.publishOne(r);
    this.unknownExposures.inc(Math.max(0, unknownExposures - this.unknownPublished));
    this.unknownPublished = unknownExposures;
  }

  private publishOne({ config, result, events, memoryBytes }: ExperimentReading): void {
    const experiment = config.id;
    this.memory.set({ experiment }, memoryBytes);
    const advance = (role: string, totals: Record<string, number>, known: readonly string[]) => {
      for (const result of known) {
        const key = `${experiment}\u0000${role}\u0000${result}`;
        const total = totals[result] ?? 0;
        this.events.inc({ experiment, role, result }, Math.max(0, total - (this.published.get(key) ?? 0)));
        this.published.set(key, total);
      }
    };
    advance('exposure', events.exposures, EXPOSURE_RESULTS);
    advance('outcome', events.outcomes, OUTCOME_RESULTS);
    for (const [a, arm] of config.arms.entries())
      this.units.set({ experiment, arm: arm.name }, result?.arms[a]?.units ?? 0);
    this.crossedUnits.set({ experiment }, result?.units.crossed ?? 0);
    this.srm.set({ experiment }, result?.srm.mismatch ? 1 : 0);
    if (!result) return;
    this.srmPValue.set({ experiment }, result.srm.pValue);
    for (const metric of result.metrics) {
      for (const a of metric.arms) {
        if (a.mean !== null) this.mean.set({ experiment, metric: metric.name, arm: a.arm }, a.mean);
      }
      for (const c of metric.comparisons) {
        const labels = { experiment, metric: metric.name, arm: c.arm };
        this.verdict.set(labels, VERDICT_VALUE[c.verdict] ?? 0);
        this.pValue.set({ ...labels, test: 'fixed' }, c.absolute.fixed.pValue);
        this.pValue.set({ ...labels, test: 'sequential' }, c.absolute.sequential.pValue);
        for (const [scale, reading] of [
          ['absolute', c.absolute],
          ['relative', c.relative],
        ] as const) {
          if (!reading) continue;
          this.lift.set({ ...labels, scale }, reading.fixed.estimate);
          for (const interval of ['fixed', 'sequential'] as const) {
            const i = reading[interval];
            this.liftBound.set({ ...labels, scale, interval, bound: 'lower' }, i.lower);
            this.liftBound.set({ ...labels, scale, interval, bound: 'upper' }, i.upper);
          }
        }
      }
    }
  }
}
