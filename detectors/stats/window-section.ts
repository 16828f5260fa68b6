import type { ReferenceKind } from './reference-windows.js';

/**
 * The part of every windowed monitor's contract section that says how its
 * windows are cut and judged: the reference, the baseline period, the
 * window and sub-window lengths, and k of n. One schema and one reader for
 * the distribution, calibration and embedding monitors.
 */
export const WINDOW_SECTION_PROPERTIES = {
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
  consecutive: {
    type: 'object',
    additionalProperties: false,
    required: ['k', 'n'],
    properties: { k: { type: 'integer', minimum: 1 }, n: { type: 'integer', minimum: 1, maximum: 100 } },
  },
} as const;

export interface WindowSection {
  reference?: ReferenceKind;
  baseline?: { from: string; to: string };
  window_minutes?: number;
  sub_window_minutes?: number;
  consecutive?: { k: number; n: number };
}

export interface WindowDefaults {
  reference: ReferenceKind;
  window_minutes: number;
  sub_window_minutes: number;
  consecutive: { k: number; n: number };
}

export interface WindowSettings {
  reference: ReferenceKind;
  baseline: { fromMs: number; toMs: number } | null;
  windowMs: number;
  subWindowMs: number;
  /** A drift is reported when k of the last n windows found one. */
  consecutive: { k: number; n: number };
}

/**
 * The window settings with their defaults, or an error naming the key: what
 * a schema cannot say (a window made of a whole number of at most
 * `maxSubWindows` sub-windows, k at most n, a baseline that ends after it
 * starts and only with reference: baseline).
 */
export function readWindowSection(
  s: WindowSection,
  d: WindowDefaults,
  maxSubWindows = 10_000,
): { ok: true; window: WindowSettings } | { ok: false; error: string } {
  const windowMinutes = s.window_minutes ?? d.window_minutes;
  const subMinutes = s.sub_window_minutes ?? d.sub_window_minutes;
  const count = windowMinutes / subMinutes;
  if (!Number.isInteger(count) || count > maxSubWindows) {
    return {
      ok: false,
      error: `window_minutes must be a whole number (at most ${maxSubWindows.toLocaleString('en-US')}) of sub_window_minutes`,
    };
  }
  const consecutive = s.consecutive ?? d.consecutive;
  if (consecutive.k > consecutive.n)
    return { ok: false, error: 'consecutive.k must not exceed consecutive.n' };
  const reference = s.reference ?? d.reference;
  let baseline: WindowSettings['baseline'] = null;
  if (s.baseline) {
    const fromMs = Date.parse(s.baseline.from);
    const toMs = Date.parse(s.baseline.to);
    if (!(toMs > fromMs)) return { ok: false, error: 'baseline.to must be after baseline.from' };
    if (reference !== 'baseline')
      return { ok: false, error: 'baseline is given but reference is not baseline' };
    baseline = { fromMs, toMs };
  }
  return {
    ok: true,
    window: {
      reference,
      baseline,
      windowMs: windowMinutes * 60_000,
      subWindowMs: subMinutes * 60_000,
      consecutive,
    },
  };
}
