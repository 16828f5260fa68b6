import { ReliabilityBins, type ReliabilityBinsJSON } from '../stats/calibration/reliability-bins.js';
import type { Mergeable } from '../stats/reference-windows.js';
import { readText, type StoredText, storeText } from './stored-text.js';

/**
 * What one sub-window of prediction time keeps of one model's predictions:
 * - every prediction, labelled or not: their count and summed confidence,
 *   so the accuracy the model promises (the expected accuracy) is known
 *   before any label comes in;
 * - the labelled ones in reliability bins, overall and per predicted intent
 *   (for the intents the caller ranks frequent; at most `maxIntents` per
 *   sub-window, so traffic cannot decide the memory).
 * A label is counted in its prediction's sub-window, whenever it comes.
 * Bins are made on first use from a template, since quantile edges are only
 * known once enough confidences were seen.
 */
export interface CalibrationWindowStats {
  predictions: number;
  sumConfidence: number;
  bins: ReliabilityBins | null;
  intents: Map<string, ReliabilityBins>;
}

interface StatsJson {
  predictions: number;
  sumConfidence: number;
  bins: ReliabilityBinsJSON | null;
  /** Intents come from traffic: see stored-text.ts. */
  intents: Array<[StoredText, ReliabilityBinsJSON]>;
}

/** Merging and plain data of sub-windows; merged windows keep per-intent bins for at most `maxIntents` intents. */
export function calibrationStatsOps(maxIntents: number): Mergeable<CalibrationWindowStats> {
  return {
    empty: () => ({ predictions: 0, sumConfidence: 0, bins: null, intents: new Map() }),
    merge(into, from) {
      into.predictions += from.predictions;
      into.sumConfidence += from.sumConfidence;
      if (from.bins !== null) into.bins = mergeBins(into.bins, from.bins);
      for (const [intent, b] of from.intents) {
        const mine = into.intents.get(intent);
        if (mine !== undefined) mine.merge(b);
        else if (into.intents.size < maxIntents) into.intents.set(intent, mergeBins(null, b));
      }
      return into;
    },
    toJSON: (s): StatsJson => ({
      predictions: s.predictions,
      sumConfidence: s.sumConfidence,
      bins: s.bins ? s.bins.toJSON() : null,
      intents: [...s.intents].map(([k, b]) => [storeText(k), b.toJSON()]),
    }),
    fromJSON(data) {
      const d = data as StatsJson;
      return {
        predictions: d.predictions,
        sumConfidence: d.sumConfidence,
        bins: d.bins ? ReliabilityBins.fromJSON(d.bins) : null,
        intents: new Map(d.intents.map(([k, b]) => [readText(k), ReliabilityBins.fromJSON(b)])),
      };
    },
  };
}

/** Records a prediction, labelled or not, for the expected accuracy. */
export function addPrediction(s: CalibrationWindowStats, confidence: number): void {
  s.predictions++;
  s.sumConfidence += confidence;
}

/**
 * Records a labelled prediction in bins shaped like `template`; per intent
 * too when `intent` is given and the sub-window still has room for it.
 */
export function addLabelled(
  s: CalibrationWindowStats,
  template: ReliabilityBins,
  confidence: number,
  correct: boolean,
  intent: string | null,
  maxIntents: number,
): void {
  s.bins ??= template.emptyCopy();
  s.bins.add(confidence, correct);
  if (intent === null) return;
  let b = s.intents.get(intent);
  if (b === undefined) {
    if (s.intents.size >= maxIntents) return;
    b = template.emptyCopy();
    s.intents.set(intent, b);
  }
  b.add(confidence, correct);
}

/** Adds `from` into `into` (a copy when `into` is null), without sharing `from`'s arrays. */
function mergeBins(into: ReliabilityBins | null, from: ReliabilityBins): ReliabilityBins {
  return (into ?? from.emptyCopy()).merge(from);
}
