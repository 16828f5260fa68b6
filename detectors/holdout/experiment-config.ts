import { safeToken } from '../../monitor/findings/safe-token.js';

/**
 * One holdout experiment, as a config file's `experiments` list or
 * `POST /v1/experiments` gives it: which exposure events assign units to
 * arms, the split they should follow, the outcomes measured, and how the
 * statistics are judged. Everything but `id`, `arms` and `metrics` has a
 * default, kept here in one place; EXPERIMENT_SCHEMA checks the format,
 * `readExperiment` what the schema cannot.
 *
 * ```yaml
 * experiments:
 *   - id: proactive-chat
 *     arms: { treatment: 0.95, holdout: 0.05 }   # the expected split
 *     control: holdout                          # lifts are measured against it
 *     metrics:
 *       - { name: converted, type: binary, event_type: conversion }
 *       - { name: revenue, type: continuous, event_type: conversion, value: /value,
 *           covariate: /prior_revenue }          # CUPED: read from the first exposure
 *     attribution_hours: 72
 *     start: 2026-11-01T00:00:00Z
 * ```
 */
export type MetricType = 'binary' | 'continuous';

export interface ExperimentMetric {
  name: string;
  type: MetricType;
  /** The contract name of the events that are this metric's outcomes. */
  eventType: string;
  /** Continuous metrics: the pointer of the outcome's value; binary metrics count an outcome as 1. */
  value: string | null;
  /** Only outcome events whose attribute at each pointer is one of the values count. */
  where: ReadonlyArray<{ pointer: string; values: ReadonlyArray<string | number | boolean> }>;
  /** CUPED: the pointer, in the exposure event, of the unit's pre-exposure value of this metric. */
  covariate: string | null;
}

export interface ExperimentConfig {
  id: string;
  description: string;
  exposure: { eventType: string; experiment: string; arm: string };
  /** The pointer, in exposure and outcome events alike, of the unit the arm is assigned to. */
  unit: string;
  /** Arm names in the order given, with their expected shares (summing to 1). */
  arms: ReadonlyArray<{ name: string; weight: number }>;
  /** The index in `arms` of the arm lifts are measured against. */
  control: number;
  metrics: readonly ExperimentMetric[];
  attributionMs: number;
  startMs: number | null;
  endMs: number | null;
  alpha: number;
  /** The total units at which the always-valid interval is tightest (GrowthBook's tuning parameter). */
  sequentialTuning: number;
  minUnitsPerArm: number;
  /**
   * Units with an outcome (converters, buyers) each arm needs before any
   * verdict: the intervals lean on the central limit theorem, which a
   * skewed metric in a small arm does not reach with a few dozen of them.
   */
  minOutcomesPerArm: number;
  srm: { pValue: number; minDeviation: number };
  /** An outcome with no exposure yet waits this much event time for a late exposure. */
  lateExposureMs: number;
  /** Events this far ahead of the clock are ignored, as clock skew. */
  maxFutureMs: number;
}

export const EXPERIMENT_DEFAULTS = {
  exposure: { event_type: 'experiment.exposure', experiment: '/experiment_id', arm: '/arm' },
  unit: '/user_id',
  attribution_hours: 72,
  alpha: 0.05,
  sequential_tuning: 5000,
  min_units_per_arm: 100,
  min_outcomes_per_arm: 100,
  srm: { p_value: 0.001, min_deviation: 0.02 },
  late_exposure_minutes: 60,
  max_future_minutes: 5,
};

const POINTER = '^(/[^/]*)+$';
const CONTRACT_NAME = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$';
/** The exposure contract's own pattern, so an id is a safe metric label and path segment. */
export const EXPERIMENT_ID = '^[a-z0-9][a-z0-9_-]*$';
/** Arm and metric names become metric labels: identifier-like only. */
const NAME = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';

export const EXPERIMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'arms', 'metrics'],
  properties: {
    id: { type: 'string', pattern: EXPERIMENT_ID, maxLength: 64 },
    description: { type: 'string', maxLength: 1000 },
    exposure: {
      type: 'object',
      additionalProperties: false,
      properties: {
        event_type: { type: 'string', pattern: CONTRACT_NAME, maxLength: 128 },
        experiment: { type: 'string', pattern: POINTER },
        arm: { type: 'string', pattern: POINTER },
      },
    },
    unit: { type: 'string', pattern: POINTER },
    arms: {
      type: 'object',
      minProperties: 2,
      maxProperties: 16,
      propertyNames: { pattern: NAME, maxLength: 64 },
      additionalProperties: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    },
    control: { type: 'string', pattern: NAME, maxLength: 64 },
    metrics: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'type', 'event_type'],
        properties: {
          name: { type: 'string', pattern: NAME, maxLength: 64 },
          type: { enum: ['binary', 'continuous'] },
          event_type: { type: 'string', pattern: CONTRACT_NAME, maxLength: 128 },
          value: { type: 'string', pattern: POINTER },
          where: {
            type: 'object',
            maxProperties: 8,
            propertyNames: { pattern: POINTER },
            additionalProperties: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              items: { type: ['string', 'number', 'boolean'] },
            },
          },
          covariate: { type: 'string', pattern: POINTER },
        },
      },
    },
    attribution_hours: { type: 'number', exclusiveMinimum: 0, maximum: 8760 },
    start: { type: ['string', 'null'], format: 'date-time' },
    end: { type: ['string', 'null'], format: 'date-time' },
    alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
    sequential_tuning: { type: 'number', minimum: 1, maximum: 1e9 },
    min_units_per_arm: { type: 'integer', minimum: 2, maximum: 1e9 },
    min_outcomes_per_arm: { type: 'integer', minimum: 0, maximum: 1e9 },
    srm: {
      type: 'object',
      additionalProperties: false,
      properties: {
        p_value: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
        min_deviation: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    late_exposure_minutes: { type: 'number', minimum: 0, maximum: 10_080 },
    max_future_minutes: { type: 'number', minimum: 0, maximum: 1440 },
  },
} as const;

/** The section as written (already checked against EXPERIMENT_SCHEMA). */
export interface ExperimentSection {
  id: string;
  description?: string;
  exposure?: { event_type?: string; experiment?: string; arm?: string };
  unit?: string;
  arms: Record<string, number>;
  control?: string;
  metrics: Array<{
    name: string;
    type: MetricType;
    event_type: string;
    value?: string;
    where?: Record<string, Array<string | number | boolean>>;
    covariate?: string;
  }>;
  attribution_hours?: number;
  start?: string | null;
  end?: string | null;
  alpha?: number;
  sequential_tuning?: number;
  min_units_per_arm?: number;
  min_outcomes_per_arm?: number;
  srm?: { p_value?: number; min_deviation?: number };
  late_exposure_minutes?: number;
  max_future_minutes?: number;
}

/** The arm lifts are measured against when `control` is not given. */
const CONTROL_NAMES = ['holdout', 'control'];

/**
 * The section with its defaults, or an error naming the key: what a schema
 * cannot say (shares that sum to 1, a control that is one of the arms,
 * unique metric names, a value for continuous metrics only, an end after the
 * start).
 */
export function readExperiment(
  section: ExperimentSection,
): { ok: true; config: ExperimentConfig } | { ok: false; error: string } {
  const s = section;
  const d = EXPERIMENT_DEFAULTS;
  const arms = Object.entries(s.arms).map(([name, weight]) => ({ name, weight }));
  const total = arms.reduce((sum, a) => sum + a.weight, 0);
  if (Math.abs(total - 1) > 1e-6) {
    return { ok: false, error: `arms: the shares must sum to 1 (they sum to ${+total.toFixed(6)})` };
  }
  const controlName = s.control ?? CONTROL_NAMES.find((n) => n in s.arms);
  if (controlName === undefined) {
    return {
      ok: false,
      error: 'control: name the arm lifts are measured against (no arm is called holdout or control)',
    };
  }
  const control = arms.findIndex((a) => a.name === controlName);
  if (control < 0) return { ok: false, error: `control: ${safeToken(controlName)} is not one of the arms` };
  const names = new Set<string>();
  const metrics: ExperimentMetric[] = [];
  for (const [i, m] of s.metrics.entries()) {
    if (names.has(m.name))
      return { ok: false, error: `metrics[${i}].name: ${safeToken(m.name)} is named twice` };
    names.add(m.name);
    if (m.type === 'continuous' && m.value === undefined) {
      return { ok: false, error: `metrics[${i}].value: a continuous metric needs the pointer of its value` };
    }
    if (m.type === 'binary' && m.value !== undefined) {
      return {
        ok: false,
        error: `metrics[${i}].value: a binary metric counts each outcome as 1 and takes no value`,
      };
    }
    metrics.push({
      name: m.name,
      type: m.type,
      eventType: m.event_type,
      value: m.value ?? null,
      where: Object.entries(m.where ?? {}).map(([pointer, values]) => ({ pointer, values })),
      covariate: m.covariate ?? null,
    });
  }
  const startMs = s.start ? Date.parse(s.start) : null;
  const endMs = s.end ? Date.parse(s.end) : null;
  if (startMs !== null && endMs !== null && endMs <= startMs) {
    return { ok: false, error: 'end: must be after start' };
  }
  return {
    ok: true,
    config: {
      id: s.id,
      description: s.description ?? '',
      exposure: {
        eventType: s.exposure?.event_type ?? d.exposure.event_type,
        experiment: s.exposure?.experiment ?? d.exposure.experiment,
        arm: s.exposure?.arm ?? d.exposure.arm,
      },
      unit: s.unit ?? d.unit,
      arms,
      control,
      metrics,
      attributionMs: (s.attribution_hours ?? d.attribution_hours) * 3_600_000,
      startMs,
      endMs,
      alpha: s.alpha ?? d.alpha,
      sequentialTuning: s.sequential_tuning ?? d.sequential_tuning,
      minUnitsPerArm: s.min_units_per_arm ?? d.min_units_per_arm,
      minOutcomesPerArm: s.min_outcomes_per_arm ?? d.min_outcomes_per_arm,
      srm: {
        pValue: s.srm?.p_value ?? d.srm.p_value,
        minDeviation: s.srm?.min_deviation ?? d.srm.min_deviation,
      },
      lateExposureMs: (s.late_exposure_minutes ?? d.late_exposure_minutes) * 60_000,
      maxFutureMs: (s.max_future_minutes ?? d.max_future_minutes) * 60_000,
    },
  };
}
