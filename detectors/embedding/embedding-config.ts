import type { ReferenceKind } from '../stats/reference-windows.js';
import { readWindowSection, WINDOW_SECTION_PROPERTIES } from '../stats/window-section.js';

/**
 * A contract's `monitors.embedding_drift` section: which attribute holds the
 * embedding and how a drift is judged. Everything but `attribute` has a
 * default, kept here in one place; the format is checked when the contract is
 * loaded (EMBEDDING_MONITOR_SCHEMA, for the contract format), and
 * readEmbeddingMonitor checks what a schema cannot say.
 *
 * ```yaml
 * monitors:
 *   embedding_drift:
 *     attribute: /embedding          # a JSON pointer to an array of numbers
 *     reference: previous_window     # or baseline (with baseline: {from, to})
 *     window_minutes: 60
 *     sub_window_minutes: 5
 *     reservoir: 500                 # vectors sampled per window side
 *     seed: 0                        # the same events and seed give the same verdict
 * ```
 */
export interface EmbeddingMonitorConfig {
  attribute: string;
  reference: ReferenceKind;
  baseline: { fromMs: number; toMs: number } | null;
  windowMs: number;
  subWindowMs: number;
  /** Vectors in both windows before any verdict. */
  minSamples: number;
  /** Vectors sampled (uniformly) per window side for the MMD test. */
  reservoir: number;
  permutations: number;
  /** Level of the MMD permutation test. */
  alpha: number;
  /** The effect a drift must also show: the means' cosine distance, or the share of drifted components. */
  thresholds: { cosineDistance: number; driftedShare: number; component: number };
  /** A drift is reported when k of the last n windows found one. */
  consecutive: { k: number; n: number };
  /** Seed of every random draw (reservoirs, their merges, permutations). */
  seed: number;
}

/**
 * Defaults. Sub-windows are 5 minutes, not the distribution monitor's 1:
 * every live sub-window keeps its own sample of up to `reservoir` vectors
 * (about reservoir x dims x 8 bytes: 1.5 MB at 500 x 384), and the previous
 * window keeps two windows live, so 24 sub-windows rather than 120.
 */
export const EMBEDDING_DEFAULTS = {
  reference: 'previous_window' as ReferenceKind,
  window_minutes: 60,
  sub_window_minutes: 5,
  min_samples: 200,
  reservoir: 500,
  permutations: 200,
  alpha: 0.01,
  cosine_threshold: 0.05,
  drifted_share_threshold: 0.2,
  component_threshold: 0.1,
  consecutive: { k: 2, n: 3 },
  seed: 0,
};

/** Most sub-windows in a window: each holds a sample of vectors, so their number is memory. */
export const MAX_SUB_WINDOWS = 60;

const POINTER = '^(/[^/]*)+$';

export const EMBEDDING_MONITOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['attribute'],
  properties: {
    attribute: { type: 'string', pattern: POINTER },
    ...WINDOW_SECTION_PROPERTIES,
    // Not same_hour_last_week: a week of hourly samples of 384-dimensional vectors is hundreds of
    // megabytes in memory and more than one stored snapshot can hold.
    reference: { enum: ['previous_window', 'baseline'] },
    min_samples: { type: 'integer', minimum: 2 },
    // The test holds a (2 x reservoir)^2 kernel matrix of doubles: 128 MB at 2000.
    reservoir: { type: 'integer', minimum: 10, maximum: 2000 },
    permutations: { type: 'integer', minimum: 1, maximum: 10_000 },
    alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    cosine_threshold: { type: 'number', minimum: 0, maximum: 2 },
    drifted_share_threshold: { type: 'number', minimum: 0, maximum: 1 },
    component_threshold: { type: 'number', minimum: 0 },
    seed: { type: 'integer', minimum: 0, maximum: 4_294_967_295 },
  },
} as const;

type Section = {
  attribute: string;
  reference?: ReferenceKind;
  baseline?: { from: string; to: string };
  window_minutes?: number;
  sub_window_minutes?: number;
  min_samples?: number;
  reservoir?: number;
  permutations?: number;
  alpha?: number;
  cosine_threshold?: number;
  drifted_share_threshold?: number;
  component_threshold?: number;
  consecutive?: { k: number; n: number };
  seed?: number;
};

/**
 * The section (already checked against the schema) with its defaults, or an
 * error naming the key: what a schema cannot say (the window a whole number
 * of at most MAX_SUB_WINDOWS sub-windows, k at most n, enough permutations
 * for a p-value under alpha to be possible, a baseline that ends after it
 * starts).
 */
export function readEmbeddingMonitor(
  section: unknown,
): { ok: true; config: EmbeddingMonitorConfig } | { ok: false; error: string } {
  const s = section as Section;
  const d = EMBEDDING_DEFAULTS;
  const read = readWindowSection(s, d, MAX_SUB_WINDOWS);
  if (!read.ok) return read;
  const alpha = s.alpha ?? d.alpha;
  const permutations = s.permutations ?? d.permutations;
  // The smallest p-value a permutation test can give is 1 / (1 + permutations).
  if (!(1 / (1 + permutations) < alpha)) {
    return {
      ok: false,
      error: `permutations must exceed ${Math.ceil(1 / alpha - 1)} for a p-value under alpha ${alpha} to be possible`,
    };
  }
  return {
    ok: true,
    config: {
      attribute: s.attribute,
      ...read.window,
      minSamples: s.min_samples ?? d.min_samples,
      reservoir: s.reservoir ?? d.reservoir,
      permutations,
      alpha,
      thresholds: {
        cosineDistance: s.cosine_threshold ?? d.cosine_threshold,
        driftedShare: s.drifted_share_threshold ?? d.drifted_share_threshold,
        component: s.component_threshold ?? d.component_threshold,
      },
      seed: s.seed ?? d.seed,
    },
  };
}
