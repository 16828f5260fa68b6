import type { ReferenceKind } from '../stats/reference-windows.js';
import { readWindowSection, WINDOW_SECTION_PROPERTIES, type WindowSection } from '../stats/window-section.js';

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
  /** A drift is reported when k of the last n windows found one. */
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
    ...WINDOW_SECTION_PROPERTIES,
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
    bins: { type: 'integer', minimum: 2, maximum: 100 },
    max_categories: { type: 'integer', minimum: 2, maximum: 1000 },
  },
} as const;

type Section = WindowSection & {
  attributes: Record<string, AttributeKind | { type: AttributeKind; bins?: number; edges?: number[] }>;
  min_samples?: number;
  small_sample?: number;
  alpha?: number;
  thresholds?: { jensen_shannon?: number; wasserstein?: number; psi?: number };
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
  const read = readWindowSection(s, d);
  if (!read.ok) return read;
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
      ...read.window,
      minSamples: s.min_samples ?? d.min_samples,
      smallSample: s.small_sample ?? d.small_sample,
      alpha: s.alpha ?? d.alpha,
      thresholds: {
        jensenShannon: t.jensen_shannon ?? d.thresholds.jensen_shannon,
        wasserstein: t.wasserstein ?? d.thresholds.wasserstein,
        psi: t.psi ?? d.thresholds.psi,
      },
      maxCategories: s.max_categories ?? d.max_categories,
    },
  };
}
