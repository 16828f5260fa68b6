import { pointerKeys, valueAtKeys } from '../../monitor/findings/json-pointer.js';
import type { ConversationEvent, Envelope } from '../../monitor/pipeline/envelope.js';
import { type ArmMoments, addUnit, emptyMoments } from '../stats/experiment/arm-moments.js';
import type { ExperimentConfig } from './experiment-config.js';
import { eventIdHash, unitKeyHash } from './unit-key-hash.js';
import {
  type ExposeResult,
  type OutcomeResult,
  UnitTable,
  type UnitTableJson,
  type UnitTableOptions,
} from './unit-table.js';

/** What became of an exposure event, for counting and findings. */
export type ExposureOutcome =
  | ExposeResult
  | 'unknown_arm'
  | 'no_unit'
  | 'outside_period'
  | 'future'
  | 'no_time';

/** What became of an outcome event for one metric. */
export type OutcomeOutcome = OutcomeResult | 'no_unit' | 'future' | 'no_time' | 'invalid_value' | 'after_end';

export const EXPOSURE_RESULTS: readonly ExposureOutcome[] = [
  'new',
  'repeat',
  'crossover',
  'crossed',
  'unknown_arm',
  'no_unit',
  'outside_period',
  'future',
  'no_time',
];
export const OUTCOME_RESULTS: readonly (OutcomeOutcome | 'unexposed')[] = [
  'added',
  'pending',
  'duplicate',
  'excluded',
  'late',
  'early',
  'capped',
  'no_unit',
  'future',
  'no_time',
  'invalid_value',
  'after_end',
  'unexposed',
];

interface CompiledMetric {
  binary: boolean;
  value: string[] | null;
  where: Array<{ keys: string[]; values: ReadonlySet<unknown> }>;
  /** Index among the metrics that have a covariate, or -1. */
  covariate: number;
}

/**
 * The live state of one experiment: its units (unit-table.ts) and what
 * became of every exposure and outcome. Exposures assign units, outcomes
 * are kept by event time against the unit's attribution window, and
 * `moments` turns the units into per-arm, per-metric sufficient statistics.
 * Duplicated events count once: a repeated exposure changes nothing, a
 * repeated outcome is recognised by its event id among its unit's outcomes.
 */
export class ExperimentTracker {
  readonly units: UnitTable;
  readonly exposures = new Map<ExposureOutcome, number>();
  readonly outcomes = new Map<OutcomeOutcome | 'unexposed', number>();
  private readonly armIndex: Map<string, number>;
  private readonly unitKeys: string[];
  private readonly armKeys: string[];
  private readonly metricsByEvent = new Map<string, number[]>();
  private readonly compiled: CompiledMetric[];
  private readonly covariateKeys: string[][];
  /** The latest event time seen, for dropping pending outcomes by event time. */
  watermark = Number.NEGATIVE_INFINITY;
  /** Events have arrived since `moments` last ran. */
  dirty = true;

  constructor(
    readonly config: ExperimentConfig,
    units?: UnitTable,
  ) {
    this.armIndex = new Map(config.arms.map((a, i) => [a.name, i]));
    this.unitKeys = pointerKeys(config.unit);
    this.armKeys = pointerKeys(config.exposure.arm);
    let covariates = 0;
    this.covariateKeys = [];
    this.compiled = config.metrics.map((m, i) => {
      const list = this.metricsByEvent.get(m.eventType) ?? [];
      list.push(i);
      this.metricsByEvent.set(m.eventType, list);
      if (m.covariate) this.covariateKeys.push(pointerKeys(m.covariate));
      return {
        binary: m.type === 'binary',
        value: m.value ? pointerKeys(m.value) : null,
        where: m.where.map((w) => ({ keys: pointerKeys(w.pointer), values: new Set(w.values) })),
        covariate: m.covariate ? covariates++ : -1,
      };
    });
    this.units = units ?? new UnitTable(tableOptions(config));
  }

  /** True when events of this type are outcomes of one of the experiment's metrics. */
  measures(eventType: string): boolean {
    return this.metricsByEvent.has(eventType);
  }

  /** An exposure event already known to be for this experiment; the arm name when it is not one of the arms. */
  expose(
    event: ConversationEvent,
    envelope: Envelope,
    nowMs: number,
  ): { result: ExposureOutcome; arm: string | null } {
    const at = this.timeOf(envelope, nowMs);
    if (typeof at === 'string') return this.countExposure(at, null);
    const { startMs, endMs } = this.config;
    const armValue = valueAtKeys(event, this.armKeys);
    const arm = typeof armValue === 'string' ? this.armIndex.get(armValue) : undefined;
    if (arm === undefined)
      return this.countExposure('unknown_arm', typeof armValue === 'string' ? armValue : null);
    if ((startMs !== null && at < startMs) || (endMs !== null && at >= endMs)) {
      return this.countExposure('outside_period', null);
    }
    const key = this.unitOf(event);
    if (key === null) return this.countExposure('no_unit', null);
    let covariates: number[] | null = null;
    if (this.covariateKeys.length > 0) {
      covariates = this.covariateKeys.map((keys) => {
        const v = valueAtKeys(event, keys);
        // Beyond 1e15 (as for outcome values) a square would swamp the sums: counted as missing.
        return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e15 ? v : Number.NaN;
      });
    }
    this.advance(at);
    return this.countExposure(this.units.expose(key.hi, key.lo, arm, at, covariates), null);
  }

  /** An event whose type this experiment measures: one outcome per metric it matches. */
  outcome(event: ConversationEvent, envelope: Envelope, eventType: string, nowMs: number): void {
    const metrics = this.metricsByEvent.get(eventType);
    if (!metrics) return;
    const at = this.timeOf(envelope, nowMs);
    let key: { hi: number; lo: number } | null | undefined;
    let hash = 0;
    for (const m of metrics) {
      const metric = this.compiled[m]!;
      if (!metric.where.every((w) => w.values.has(valueAtKeys(event, w.keys)))) continue;
      if (typeof at === 'string') {
        this.countOutcome(at);
        continue;
      }
      const endMs = this.config.endMs;
      if (endMs !== null && at >= endMs + this.config.attributionMs) {
        this.countOutcome('after_end');
        continue;
      }
      let value = 1;
      if (metric.value) {
        const v = valueAtKeys(event, metric.value);
        if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > 1e15) {
          this.countOutcome('invalid_value');
          continue;
        }
        value = v;
      }
      if (key === undefined) {
        key = this.unitOf(event);
        // Without an event id a repeat is recognised by its event time: '' would make every
        // id-less outcome of a unit a duplicate of its first, and undercount continuous sums.
        hash = eventIdHash(envelope.event_id ?? `@${at}`);
      }
      if (key === null) {
        this.countOutcome('no_unit');
        continue;
      }
      this.advance(at);
      this.countOutcome(this.units.addOutcome(key.hi, key.lo, m, at, value, hash));
    }
  }

  /** Drops outcomes whose unit had no exposure within `lateExposureMs` of event time; they count as unexposed. */
  sweep(): void {
    if (this.watermark === Number.NEGATIVE_INFINITY) return;
    const dropped = this.units.sweep(this.watermark - this.config.lateExposureMs);
    if (dropped > 0) this.outcomes.set('unexposed', (this.outcomes.get('unexposed') ?? 0) + dropped);
  }

  /** Per arm, per metric: the sufficient statistics of the units' values (and covariates for CUPED). */
  moments(): ArmMoments[][] {
    const arms = this.config.arms.map(() => this.config.metrics.map(() => emptyMoments()));
    const binary = this.compiled.map((c) => c.binary);
    const covariateOf = this.compiled.map((c) => c.covariate);
    this.units.scan(binary, (arm, values, covariates) => {
      const row = arms[arm]!;
      for (let m = 0; m < values.length; m++) {
        const c = covariateOf[m]!;
        addUnit(row[m]!, values[m]!, c >= 0 ? covariates[c] : undefined);
      }
    });
    this.dirty = false;
    return arms;
  }

  snapshot(): ExperimentTrackerJson {
    return {
      arms: this.config.arms.map((a) => a.name),
      units: this.units.toJSON(),
      exposures: Object.fromEntries(this.exposures),
      outcomes: Object.fromEntries(this.outcomes),
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
    };
  }

  static restore(config: ExperimentConfig, json: ExperimentTrackerJson): ExperimentTracker {
    // Units keep their arm as an index. The same definition may list its arms in another
    // order after a restart (a reordered config file), so indexes are mapped by name.
    const index = new Map(config.arms.map((a, i) => [a.name, i]));
    const armMap = (json.arms ?? []).map((name) => index.get(name) ?? -1);
    if (armMap.length !== config.arms.length || armMap.includes(-1)) {
      throw new RangeError('snapshot: the experiment had other arms');
    }
    const units = UnitTable.fromJSON(tableOptions(config), json.units, config.metrics.length, armMap);
    const tracker = new ExperimentTracker(config, units);
    for (const [k, v] of Object.entries(json.exposures)) tracker.exposures.set(k as ExposureOutcome, v);
    for (const [k, v] of Object.entries(json.outcomes)) tracker.outcomes.set(k as OutcomeOutcome, v);
    tracker.watermark = json.watermark ?? Number.NEGATIVE_INFINITY;
    return tracker;
  }

  private unitOf(event: ConversationEvent): { hi: number; lo: number } | null {
    const v = valueAtKeys(event, this.unitKeys);
    if (typeof v === 'string' && v.length > 0) return unitKeyHash(v);
    if (typeof v === 'number' && Number.isFinite(v)) return unitKeyHash(String(v));
    return null;
  }

  /** The event time, or why the event is ignored: without one, or too far ahead of the clock (skew). */
  private timeOf(envelope: Envelope, nowMs: number): number | 'no_time' | 'future' {
    const at = envelope.occurred_ms;
    if (at === null) return 'no_time';
    if (at > nowMs + this.config.maxFutureMs) return 'future';
    return at;
  }

  private advance(at: number): void {
    if (at > this.watermark) this.watermark = at;
    this.dirty = true;
  }

  private countExposure(
    result: ExposureOutcome,
    arm: string | null,
  ): { result: ExposureOutcome; arm: string | null } {
    this.exposures.set(result, (this.exposures.get(result) ?? 0) + 1);
    return { result, arm };
  }

  private countOutcome(result: OutcomeOutcome): void {
    this.outcomes.set(result, (this.outcomes.get(result) ?? 0) + 1);
  }
}

function tableOptions(config: ExperimentConfig): UnitTableOptions {
  return {
    arms: config.arms.length,
    covariates: config.metrics.filter((m) => m.covariate !== null).length,
    attributionMs: config.attributionMs,
    lateExposureMs: config.lateExposureMs,
  };
}

export interface ExperimentTrackerJson {
  /** The arm names in index order: units keep their arm as an index. */
  arms: string[];
  units: UnitTableJson;
  exposures: Record<string, number>;
  outcomes: Record<string, number>;
  watermark: number | null;
}
