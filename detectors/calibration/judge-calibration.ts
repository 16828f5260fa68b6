import { safeToken } from '../../monitor/findings/safe-token.js';
import {
  calibrationSummary,
  expectedCalibrationError,
  type ReliabilityRow,
  reliabilityDiagram,
} from '../stats/calibration/calibration-metrics.js';
import { type EceDelta, eceDeltaBootstrap } from '../stats/calibration/ece-delta-bootstrap.js';
import type { ReferenceWindows, WindowRead } from '../stats/reference-windows.js';
import type { CalibrationMonitorConfig } from './calibration-config.js';
import type { CalibrationWindowStats } from './calibration-window-stats.js';

/** The calibration of one intent in the current window. */
export interface IntentCalibration {
  /** The intent as `safeToken` gives it: kept when identifier-like, else a salted hash. */
  intent: string;
  labelled: number;
  ece: number;
  accuracy: number;
  meanConfidence: number;
}

/** What one evaluation found for one model of one contract (before the k-of-n gate). */
export interface CalibrationVerdict {
  window: { from: string; to: string };
  reference: { kind: string; from: string; to: string } | null;
  /** Predictions in the window, labelled or not. */
  predictions: number;
  labelled: number;
  unlabelled: number;
  /** Mean confidence of every prediction in the window: the accuracy the model promises. Null without predictions. */
  expectedAccuracy: number | null;
  /** Of the labelled predictions (null without labels): realized accuracy, their mean confidence, ECE, MCE and Brier score. */
  accuracy: number | null;
  meanConfidence: number | null;
  ece: number | null;
  mce: number | null;
  brier: number | null;
  /** ECE of the reference, when it has `min_labels` labelled predictions. */
  referenceEce: number | null;
  /** The rise of ECE over the reference and its bootstrap interval, when both windows have `min_labels`. */
  eceDelta: {
    delta: number;
    lower: number;
    upper: number;
    level: number;
    resamples: number;
    threshold: number;
    exceeds: boolean;
  } | null;
  maxEce: number;
  /** Enough labelled predictions in the current window for a verdict. */
  judged: boolean;
  /** What found a drift: ECE over max_ece, and/or a rise over the reference beyond ece_delta. */
  triggers: Array<'max_ece' | 'ece_delta'>;
  drifted: boolean;
  /** Per-intent calibration for the most labelled intents, worst ECE first. */
  intents: IntentCalibration[];
  diagram: ReliabilityRow[];
  explanation: string;
}

const nullable = (x: number) => (Number.isNaN(x) ? null : x);

/**
 * One model's current window judged at `nowMs`. A drift is either the ECE
 * above `max_ece` (an absolute bound) or a rise of the ECE over the
 * reference whose bootstrap interval lies wholly above `ece_delta`; each
 * needs `min_labels` labelled predictions in the windows it reads. The
 * bootstrap's seed is the window's start, so a verdict can be reproduced.
 */
export function judgeModel(
  config: CalibrationMonitorConfig,
  what: string,
  windows: ReferenceWindows<CalibrationWindowStats>,
  nowMs: number,
): CalibrationVerdict {
  const cur = windows.current(nowMs);
  const ref = windows.reference(nowMs);
  const s = cur.stats;
  const labelled = s.bins?.total ?? 0;
  const summary = s.bins && labelled > 0 ? calibrationSummary(s.bins) : null;
  const judged = labelled >= config.minLabels;
  const refLabelled = ref?.stats.bins?.total ?? 0;
  const refUsable = ref !== null && refLabelled >= config.minLabels;
  let delta: EceDelta | null = null;
  if (judged && refUsable) {
    delta = eceDeltaBootstrap(ref.stats.bins!, s.bins!, {
      threshold: config.eceDelta,
      resamples: config.bootstrap.resamples,
      alpha: config.bootstrap.alpha,
      seed: Math.floor(cur.fromMs / config.subWindowMs) >>> 0,
    });
  }
  const triggers: CalibrationVerdict['triggers'] = [];
  if (judged && summary!.ece > config.maxEce) triggers.push('max_ece');
  if (delta?.exceeds) triggers.push('ece_delta');
  const verdict: Omit<CalibrationVerdict, 'explanation'> = {
    window: span(cur),
    reference: ref && { kind: config.reference, ...span(ref) },
    predictions: s.predictions,
    labelled,
    unlabelled: Math.max(0, s.predictions - labelled),
    expectedAccuracy: s.predictions > 0 ? s.sumConfidence / s.predictions : null,
    accuracy: summary && nullable(summary.accuracy),
    meanConfidence: summary && nullable(summary.meanConfidence),
    ece: summary && nullable(summary.ece),
    mce: summary && nullable(summary.mce),
    brier: summary && nullable(summary.brier),
    referenceEce: refUsable ? expectedCalibrationError(ref.stats.bins!) : null,
    eceDelta: delta && {
      delta: delta.delta,
      lower: delta.lower,
      upper: delta.upper,
      level: 1 - config.bootstrap.alpha,
      resamples: delta.resamples,
      threshold: config.eceDelta,
      exceeds: delta.exceeds,
    },
    maxEce: config.maxEce,
    judged,
    triggers,
    drifted: triggers.length > 0,
    intents: intentsOf(s, config.maxIntents),
    diagram: s.bins ? reliabilityDiagram(s.bins) : [],
  };
  return { ...verdict, explanation: explain(what, verdict, config) };
}

function span(read: WindowRead<unknown>): { from: string; to: string } {
  return { from: new Date(read.fromMs).toISOString(), to: new Date(read.toMs).toISOString() };
}

/** The `max` intents with the most labelled predictions, worst calibrated first. */
function intentsOf(s: CalibrationWindowStats, max: number): IntentCalibration[] {
  return [...s.intents]
    .filter(([, b]) => b.total > 0)
    .sort((a, b) => b[1].total - a[1].total)
    .slice(0, max)
    .map(([intent, b]) => {
      const x = calibrationSummary(b);
      return {
        intent: safeToken(intent),
        labelled: b.total,
        ece: x.ece,
        accuracy: x.accuracy,
        meanConfidence: x.meanConfidence,
      };
    })
    .sort((a, b) => b.ece - a.ece);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => x.toFixed(3);

/** A plain-language account of the verdict, for the finding's message and GET /v1/monitors. */
function explain(
  what: string,
  v: Omit<CalibrationVerdict, 'explanation'>,
  config: CalibrationMonitorConfig,
): string {
  const promised =
    v.expectedAccuracy === null
      ? 'no predictions in the window'
      : `${v.predictions} predictions promising ${pct(v.expectedAccuracy)} accuracy`;
  if (!v.judged) {
    return `${what}: collecting labels, ${v.labelled} of the ${config.minLabels} needed in the window (${promised}, ${v.unlabelled} unlabelled)`;
  }
  const parts: string[] = [];
  // Within a point either way, the sign says more about the sample than about the model.
  const gap = v.meanConfidence! - v.accuracy!;
  const direction = gap > 0.01 ? 'over-confident' : gap < -0.01 ? 'under-confident' : 'confidence on target';
  parts.push(
    `${what}: ${v.labelled} labelled predictions were ${pct(v.accuracy!)} correct at a mean confidence of ${pct(v.meanConfidence!)} (${direction}); ${promised}`,
  );
  parts.push(
    v.triggers.includes('max_ece')
      ? `ECE ${num(v.ece!)} is above max_ece ${config.maxEce}`
      : `ECE ${num(v.ece!)} is within max_ece ${config.maxEce}`,
  );
  const ref = config.reference.replaceAll('_', ' ');
  if (v.eceDelta) {
    const d = v.eceDelta;
    const interval = `${pct(d.level)} bootstrap interval ${num(d.lower)} to ${num(d.upper)} over ${d.resamples} resamples`;
    parts.push(
      d.exceeds
        ? `against the ${ref} (ECE ${num(v.referenceEce!)}) it rose by ${num(d.delta)}, and the ${interval} lies wholly above ece_delta ${d.threshold}`
        : `against the ${ref} (ECE ${num(v.referenceEce!)}) it changed by ${num(d.delta)}; the ${interval} does not lie wholly above ece_delta ${d.threshold}`,
    );
  } else {
    parts.push(`no ${ref} with ${config.minLabels} labelled predictions to compare with`);
  }
  const worst = v.intents
    .filter((i) => i.labelled >= 30)
    .slice(0, 3)
    .map((i) => `${i.intent} ${num(i.ece)} (${i.labelled})`);
  if (worst.length > 0) parts.push(`worst calibrated intents by ECE: ${worst.join(', ')}`);
  return `${parts.join('; ')}. ${v.drifted ? 'Calibration has drifted.' : 'Calibration holds.'}`;
}
