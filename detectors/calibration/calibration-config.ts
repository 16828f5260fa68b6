import type { ReferenceKind } from '../stats/reference-windows.js';
import { readWindowSection, WINDOW_SECTION_PROPERTIES } from '../stats/window-section.js';

/**
 * A contract's `monitors.calibration` section: which attribute holds the
 * classifier's prediction and its confidence, which contract's events carry
 * the ground truth, and how a calibration drift is judged. Everything but
 * `prediction`, `confidence` and `labels` has a default, kept here in one
 * place; CALIBRATION_MONITOR_SCHEMA checks the format when the contract is
 * loaded, `readCalibrationMonitor` what the schema cannot.
 *
 * ```yaml
 * monitors:
 *   calibration:
 *     prediction: /intent
 *     confidence: /intent_confidence
 *     labels: intent.label            # the contract whose events carry the true value
 *     label_key: /message_id          # in the label event: the prediction's event_id
 *     label_value: /intent            # in the label event: the true value
 *     max_ece: 0.1
 *     ece_delta: 0.05
 * ```
 */
export type Binning = 'uniform' | 'quantile';

export interface CalibrationMonitorConfig {
  prediction: string;
  confidence: string;
  /** The contract name of the label events. */
  labels: string;
  labelKey: string;
  labelValue: string;
  /** A label joins its prediction only within this much event time of it. */
  labelTtlMs: number;
  /** Pointer to the model version; predictions without one count under DEFAULT_MODEL. */
  model: string;
  bins: number;
  /** `quantile`: equal-count edges frozen from a model's first `minLabels` confidences. */
  binning: Binning;
  /** Absolute bound: ECE above it is a drift whatever the reference says. */
  maxEce: number;
  /** Rise of ECE over the reference that is a drift, when the bootstrap interval lies above it. */
  eceDelta: number;
  bootstrap: { resamples: number; alpha: number };
  reference: ReferenceKind;
  baseline: { fromMs: number; toMs: number } | null;
  windowMs: number;
  subWindowMs: number;
  consecutive: { k: number; n: number };
  /** Labelled predictions a window needs (both windows, for the rise) before any verdict. */
  minLabels: number;
  /** Per-intent statistics for this many of the most frequently predicted intents. */
  maxIntents: number;
  /** Predictions kept waiting for their label at most; the oldest go first. */
  maxPending: number;
}

/** The model name of predictions that do not say which model made them. */
export const DEFAULT_MODEL = 'default';

/**
 * Defaults. The window is a day of hourly sub-windows rather than the
 * distribution monitor's hour: labels come in hours after their prediction
 * and are counted in the prediction's sub-window, which must still be live
 * (two windows back with the previous window as reference, one otherwise).
 */
export const CALIBRATION_DEFAULTS = {
  label_key: '/message_id',
  label_value: '/intent',
  label_ttl_hours: 72,
  model: '/model_version',
  bins: 10,
  binning: 'uniform' as Binning,
  max_ece: 0.1,
  ece_delta: 0.05,
  bootstrap: { resamples: 1000, alpha: 0.05 },
  reference: 'previous_window' as ReferenceKind,
  window_minutes: 1440,
  sub_window_minutes: 60,
  consecutive: { k: 2, n: 3 },
  min_labels: 200,
  max_intents: 20,
  max_pending: 1_000_000,
};

const POINTER = '^(/[^/]*)+$';
const CONTRACT_NAME = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$';

export const CALIBRATION_MONITOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['prediction', 'confidence', 'labels'],
  properties: {
    prediction: { type: 'string', pattern: POINTER },
    confidence: { type: 'string', pattern: POINTER },
    labels: { type: 'string', pattern: CONTRACT_NAME, maxLength: 128 },
    label_key: { type: 'string', pattern: POINTER },
    label_value: { type: 'string', pattern: POINTER },
    label_ttl_hours: { type: 'number', exclusiveMinimum: 0, maximum: 8760 },
    model: { type: 'string', pattern: POINTER },
    bins: { type: 'integer', minimum: 2, maximum: 100 },
    binning: { enum: ['uniform', 'quantile'] },
    max_ece: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    ece_delta: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    bootstrap: {
      type: 'object',
      additionalProperties: false,
      properties: {
        resamples: { type: 'integer', minimum: 100, maximum: 100_000 },
        alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      },
    },
    ...WINDOW_SECTION_PROPERTIES,
    min_labels: { type: 'integer', minimum: 1 },
    max_intents: { type: 'integer', minimum: 0, maximum: 200 },
    max_pending: { type: 'integer', minimum: 1000, maximum: 10_000_000 },
  },
} as const;

type Section = {
  prediction: string;
  confidence: string;
  labels: string;
  label_key?: string;
  label_value?: string;
  label_ttl_hours?: number;
  model?: string;
  bins?: number;
  binning?: Binning;
  max_ece?: number;
  ece_delta?: number;
  bootstrap?: { resamples?: number; alpha?: number };
  reference?: ReferenceKind;
  baseline?: { from: string; to: string };
  window_minutes?: number;
  sub_window_minutes?: number;
  consecutive?: { k: number; n: number };
  min_labels?: number;
  max_intents?: number;
  max_pending?: number;
};

/**
 * The section (already checked against the schema) with its defaults, or an
 * error naming the key: what a schema cannot say (the window a whole number
 * of sub-windows, k at most n, a baseline that ends after it starts, the
 * prediction and its confidence at different pointers).
 */
export function readCalibrationMonitor(
  section: unknown,
): { ok: true; config: CalibrationMonitorConfig } | { ok: false; error: string } {
  const s = section as Section;
  const d = CALIBRATION_DEFAULTS;
  if (s.prediction === s.confidence) {
    return { ok: false, error: 'prediction and confidence must name different attributes' };
  }
  const read = readWindowSection(s, d);
  if (!read.ok) return read;
  return {
    ok: true,
    config: {
      prediction: s.prediction,
      confidence: s.confidence,
      labels: s.labels,
      labelKey: s.label_key ?? d.label_key,
      labelValue: s.label_value ?? d.label_value,
      labelTtlMs: (s.label_ttl_hours ?? d.label_ttl_hours) * 3_600_000,
      model: s.model ?? d.model,
      bins: s.bins ?? d.bins,
      binning: s.binning ?? d.binning,
      maxEce: s.max_ece ?? d.max_ece,
      eceDelta: s.ece_delta ?? d.ece_delta,
      bootstrap: {
        resamples: s.bootstrap?.resamples ?? d.bootstrap.resamples,
        alpha: s.bootstrap?.alpha ?? d.bootstrap.alpha,
      },
      ...read.window,
      minLabels: s.min_labels ?? d.min_labels,
      maxIntents: s.max_intents ?? d.max_intents,
      maxPending: s.max_pending ?? d.max_pending,
    },
  };
}
