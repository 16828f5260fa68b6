import type { ReferenceKind } from '../stats/reference-windows.js';

/**
 * A contract's `monitors.distribution` section: which attributes to watch
 * and how a drift is judged. Everything but `attributes` has a default, kept
 * here in one place; the format is checked when the contract is loaded
 * (DISTRIBUTION_MONITOR_SCHEMA, part of the contract format), so a bad
 * section is refused with its path.
 *
 * ```yaml
 * monitors:
 *   distribution:
 *     attributes: { /intent: categorical, /sentiment: numeric, /handle_time_seconds: { type: numeric, bins: 20 } }
 *     reference: previous_window      # or same_hour_last_week, or baseline (with baseline: {from, to})
 *     window_minutes: 60
 *     sub_window_minutes: 1
 * ```
 */
export type AttributeKind = 'categorical' | 'numeric';

export interface MonitoredAttribute {
  pointer: string;
  type: AttributeKind;
  /** Numeric only: equal-count bins, their edges frozen from the first `min_samples` values seen. */
  bins: number;
  /** Numeric only: edges given in the contract instead (ascending), frozen from the start. */
  edges: number[] | null;
}

export interface DistributionMonitorConfig {
  attributes: MonitoredAttribute[];
  reference: ReferenceKind;
  baseline: { fromMs: number; toMs: number } | null;
  windowMs: number;
  subWindowMs: number;
  /** Events in both windows before any verdict. */
  minSamples: number;
  /** Up to this many values in a window, the exact tests (chi-square, Kolmogorov-Smirnov) lead; above, the distances. */
  smallSample: number;
  /** False discovery rate across a contract's attributes (Benjamini-Hochberg). */
  alpha: number;
  /** The effect a drift must also show, whatever its p-value. */
  thresholds: { jensenShannon: number; wasserstein: number; psi: number };
  /** A drift is reported when k of the last n evaluations found one. */
  consecutive: { k: number; n: number };
  maxCategories: number;
}

export const DISTRIBUTION_DEFAULTS = {
  reference: 'previous_window' as ReferenceKind,
  window_minutes: 60,
  sub_window_minutes: 1,
  min_samples: 200,
  small_sample: 1000,
  alpha: 0.05,
  thresholds: { jensen_shannon: 0.1, wasserstein: 0.1, psi: 0.2 },
  consecutive: { k: 2, n: 3 },
  bins: 10,
  max_categories: 50,
};

const POINTER = '^(/[^/]*)+$';

export const DISTRIBUTION_MONITOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['attributes'],
  properties: {
    attributes: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: POINTER },
      additionalProperties: {
        oneOf: [
          { enum: ['categorical', 'numeric'] },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type'],
            properties: {
              type: { enum: ['categorical', 'numeric'] },
              bins: { type: 'integer', minimum: 2, maximum: 100 },
              edges: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 99 },
            },
          },
        ],
      },
    },
    reference: { enum: ['previous_window', 'same_hour_last_week', 'baseline'] },
    baseline: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to'],
      properties: {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
      },
    },
    window_minutes: { type: 'number', exclusiveMinimum: 0, maximum: 10_080 },
    sub_window_minutes: { type: 'number', exclusiveMinimum: 0 },
    min_samples: { type: 'integer', minimum: 1 },
    small_sample: { type: 'integer', minimum: 10, maximum: 100_000 },
    alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      properties: {
        jensen_shannon: { type: 'number', minimum: 0, maximum: 1 },
        wasserstein: { type: 'number', minimum: 0 },
        psi: { type: 'number', minimum: 0 },
      },
    },
    consecutive: {
      type: 'object',
      additionalProperties: false,
      required: ['k', 'n'],
      properties: { k: { type: 'integer', minimum: 1 }, n: { type: 'integer', minimum: 1, maximum: 100 } },
    },
    bins: { type: 'integer', minimum: 2, maximum: 100 },
    max_categories: { type: 'integer', minimum: 2, maximum: 1000 },
  },
} as const;

type Section = {
  attributes: Record<string, AttributeKind | { type: AttributeKind; bins?: number; edges?: number[] }>;
  reference?: ReferenceKind;
  baseline?: { from: string; to: string };
  window_minutes?: number;
  sub_window_minutes?: number;
  min_samples?: number;
  small_sample?: number;
  alpha?: number;
  thresholds?: { jensen_shannon?: number; wasserstein?: number; psi?: number };
  consecutive?: { k: number; n: number };
  bins?: number;
  max_categories?: number;
};

/**
 * The section (already checked against the schema) with its defaults, or an
 * error naming the key: what a schema cannot say (the window a whole number
 * of sub-windows, k at most n, edges ascending, a baseline that ends after
 * it starts).
 */
export function readDistributionMonitor(
  section: unknown,
): { ok: true; config: DistributionMonitorConfig } | { ok: false; error: string } {
  const s = section as Section;
  const d = DISTRIBUTION_DEFAULTS;
  const windowMinutes = s.window_minutes ?? d.window_minutes;
  const subMinutes = s.sub_window_minutes ?? d.sub_window_minutes;
  const count = windowMinutes / subMinutes;
  if (!Number.isInteger(count) || count > 10_000) {
    return {
      ok: false,
      error: 'window_minutes must be a whole number (at most 10,000) of sub_window_minutes',
    };
  }
  const consecutive = s.consecutive ?? d.consecutive;
  if (consecutive.k > consecutive.n)
    return { ok: false, error: 'consecutive.k must not exceed consecutive.n' };
  const reference = s.reference ?? d.reference;
  let baseline: DistributionMonitorConfig['baseline'] = null;
  if (s.baseline) {
    const fromMs = Date.parse(s.baseline.from);
    const toMs = Date.parse(s.baseline.to);
    if (!(toMs > fromMs)) return { ok: false, error: 'baseline.to must be after baseline.from' };
    if (reference !== 'baseline')
      return { ok: false, error: 'baseline is given but reference is not baseline' };
    baseline = { fromMs, toMs };
  }
  const attributes: MonitoredAttribute[] = [];
  for (const [pointer, spec] of Object.entries(s.attributes)) {
    const o = typeof spec === 'string' ? { type: spec } : spec;
    const edges = o.edges ?? null;
    if (edges?.some((e, i) => i > 0 && !(e > edges[i - 1]!))) {
      return { ok: false, error: `attributes.${pointer}.edges must be strictly ascending` };
    }
    attributes.push({
      pointer,
      type: o.type,
      bins: edges ? edges.length + 1 : (o.bins ?? s.bins ?? d.bins),
      edges,
    });
  }
  const t = s.thresholds ?? {};
  return {
    ok: true,
    config: {
      attributes,
      reference,
      baseline,
      windowMs: windowMinutes * 60_000,
      subWindowMs: subMinutes * 60_000,
      minSamples: s.min_samples ?? d.min_samples,
      smallSample: s.small_sample ?? d.small_sample,
      alpha: s.alpha ?? d.alpha,
      thresholds: {
        jensenShannon: t.jensen_shannon ?? d.thresholds.jensen_shannon,
        wasserstein: t.wasserstein ?? d.thresholds.wasserstein,
        psi: t.psi ?? d.thresholds.psi,
      },
      consecutive,
      maxCategories: s.max_categories ?? d.max_categories,
    },
  };
}
