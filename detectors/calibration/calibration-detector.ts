import { type Finding, makeFinding } from '../../monitor/findings/finding.js';
import { pointerKeys, valueAtKeys } from '../../monitor/findings/json-pointer.js';
import { safeToken } from '../../monitor/findings/safe-token.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import { contentHash } from '../../monitor/store/contract-hash.js';
import type { Detector, MonitorSnapshot } from '../detector.js';
import { ReliabilityBins } from '../stats/calibration/reliability-bins.js';
import { ConsecutiveGate } from '../stats/consecutive-gate.js';
import { dueReport, monitorState } from '../stats/drift-report.js';
import { ReferenceWindows, type ReferenceWindowsSnapshot } from '../stats/reference-windows.js';
import {
  type CalibrationMonitorConfig,
  DEFAULT_MODEL,
  readCalibrationMonitor,
} from './calibration-config.js';
import {
  addLabelled,
  addPrediction,
  type CalibrationWindowStats,
  calibrationStatsOps,
} from './calibration-window-stats.js';
import { IntentRanking, type IntentRankingSnapshot } from './intent-ranking.js';
import { type CalibrationVerdict, judgeModel } from './judge-calibration.js';
import { type JoinCounts, type Joined, LabelJoin, type LabelJoinSnapshot } from './label-join.js';
import { readText, type StoredText, storeText } from './stored-text.js';

export const CALIBRATION_DETECTOR = 'calibration';

/** Models kept apart per contract; predictions of further models count under OTHER_MODEL. */
export const MAX_MODELS = 10;
export const OTHER_MODEL = 'other';
const OVERFLOW_KEY = '\u0000other';

/** One model of one monitored contract: its windows, its bin edges and its gate. */
interface Tracked {
  /** The model as it appears in readings and findings (safeToken of the event's value). */
  model: string;
  windows: ReferenceWindows<CalibrationWindowStats>;
  /** Empty bins with the edges in use, or null until quantile edges are frozen. */
  template: ReliabilityBins | null;
  /** Quantile binning: the first confidences, until `minLabels` of them freeze the edges. */
  confidences: number[];
  /** Labels joined before the edges were frozen: [prediction ms, confidence, correct, intent]. */
  early: Array<[number, number, boolean, string]>;
  ranking: IntentRanking;
  gate: ConsecutiveGate;
  /** End (ms) of the window a drift was last reported for: one finding per window length while it lasts. */
  reportedUntil: number;
}

/** What waits in the join for its label. */
interface Prediction {
  tracked: Tracked;
  value: string;
  confidence: number;
}

interface Monitor {
  contract: string;
  version: string;
  /** Hash of the section as written: a snapshot taken under another one does not apply. */
  fingerprint: string;
  config: CalibrationMonitorConfig;
  keys: {
    prediction: string[];
    confidence: string[];
    model: string[];
    labelKey: string[];
    labelValue: string[];
  };
  join: LabelJoin<Prediction>;
  /** By the model's value in events (capped at MAX_MODELS, then OTHER_MODEL). */
  models: Map<string, Tracked>;
  /** Predictions without an event id, with a confidence outside [0, 1], or a value that is not a scalar. */
  invalidPredictions: number;
  /** Label events without a key or a value. */
  invalidLabels: number;
  /** Joined labels whose prediction's sub-window had already left the live windows. */
  outsideWindow: number;
}

/**
 * A monitor's state as plain JSON (what snapshot() gives per contract):
 * everything evaluation and the join will read, so a restarted detector
 * carries on as if it had not stopped. Traffic strings (event ids, intents,
 * labels, models) are in it as they are in memory, written as
 * stored-text.ts says; ±Infinity, which JSON lacks, as null.
 *
 * What a restart loses: the events between the last snapshot and the stop;
 * the readings of the last evaluation (the next one makes them again from
 * this); and labels that arrive before the monitor exists again, which is
 * why the service watches every contract at start. The join is kept whole,
 * within its bounds in memory (max_pending predictions, a labelled one as
 * its id and time only, and the held labels), so no waiting label is lost;
 * it is most of a snapshot's size.
 */
interface CalibrationSnapshot {
  fingerprint: string;
  /** In the order the models were first seen, which decides when predictions go to OTHER_MODEL. */
  models: ModelSnapshot[];
  /**
   * Every prediction kept waiting for its label (up to max_pending) and
   * every label held for a prediction not seen yet, so a label arriving
   * after the restart joins a prediction made before it.
   */
  join: LabelJoinSnapshot<StoredPrediction>;
  invalidPredictions: number;
  invalidLabels: number;
  outsideWindow: number;
}

interface ModelSnapshot {
  /** The model's value in events; null for OTHER_MODEL. */
  key: StoredText | null;
  windows: ReferenceWindowsSnapshot;
  /** Quantile binning: the frozen edges, or null while the first confidences are still collected. */
  edges: number[] | null;
  confidences: number[];
  early: Array<[number, number, boolean, StoredText]>;
  ranking: IntentRankingSnapshot;
  gate: boolean[];
  /** The window of the gate's last entry (absent in snapshots from before it was kept). */
  gateSlot?: number | null;
  reportedUntil: number | null;
}

/** A prediction waiting for its label: [its model's index in `models`, predicted value, confidence]. */
type StoredPrediction = [number, StoredText, number];

/** One model's state as of the last evaluation, for gauges and GET /v1/monitors. */
export interface CalibrationReading extends CalibrationVerdict {
  contract: string;
  /** The prediction attribute (JSON pointer). */
  attribute: string;
  model: string;
  /** The drift persisted over k of the last n judged windows: reported. */
  firing: boolean;
}

/** A model's state: collecting (too few labels), stable, drifting (this evaluation), or firing (k of n). */
export interface CalibrationMonitorState {
  contract: string;
  attribute: string;
  model: string;
  state: 'collecting' | 'stable' | 'drifting' | 'firing';
  reading: CalibrationReading;
}

/** How a contract's predictions and labels met, cumulative since start (counters) but `pending` and `held` (gauges). */
export interface CalibrationJoinState extends JoinCounts {
  contract: string;
  labels: string;
  invalidPredictions: number;
  invalidLabels: number;
  outsideWindow: number;
}

export interface CalibrationDetector extends Detector {
  /** Every model of every monitored contract as of the last evaluation, judged or still collecting labels. */
  readings(): CalibrationReading[];
  /** The same, with each model's state, for GET /v1/monitors. */
  states(): CalibrationMonitorState[];
  /** The label join of each monitored contract, now. */
  joins(): CalibrationJoinState[];
  /**
   * Starts the monitor a contract version declares (if any) before its first
   * event, e.g. for every contract in the registry at start-up, so labels
   * that arrive before any prediction are held rather than unseen.
   */
  watch(contract: ResolvedContract): void;
}

/**
 * Calibration drift of the classifiers whose output a contract declares
 * under `monitors.calibration`. One instance sees every contract's events:
 * a prediction (from the declaring contract) is counted in its sub-window
 * for the expected accuracy and waits in a bounded join (label-join.ts);
 * its label (from the contract named by `labels`) adds (confidence,
 * correct) to the reliability bins of the prediction's sub-window, per
 * model and per frequently predicted intent. Both are O(1) per event.
 * Evaluation judges each model's window against its reference
 * (judge-calibration.ts) and reports `calibration_drift` once the drift has
 * held over k of the last n judged windows, at most once per window
 * length while it lasts.
 *
 * A monitor starts with the first event of its contract (or `watch`), from
 * the first version seen that declares one; labels arriving before it exists
 * are not seen. State lives in memory; snapshot() writes it out per contract
 * and restore() reads it back at start, each monitor taking its contract's
 * snapshot when it is created (or at once, if `watch` created it already),
 * unless the section has changed since.
 */
export function createCalibrationDetector(): CalibrationDetector {
  const plans = new WeakMap<ResolvedContract, Monitor | null>();
  const byName = new Map<string, Monitor>();
  /** Label contract name -> the monitors its events label. */
  const byLabels = new Map<string, Monitor[]>();
  let latest: CalibrationReading[] = [];
  let states: CalibrationMonitorState[] = [];
  /** Snapshots given to restore() whose monitor does not exist yet, by contract name. */
  const restored = new Map<string, unknown>();

  function plan(rc: ResolvedContract): Monitor | null {
    const name = rc.contract.contract;
    const existing = byName.get(name);
    if (existing) return existing;
    const section = rc.contract.monitors?.calibration;
    if (section === undefined) return null;
    const read = readCalibrationMonitor(section);
    // The registry refuses a contract whose section does not read; this is a second line, not an error path.
    if (!read.ok) return null;
    const config = read.config;
    const monitor: Monitor = {
      contract: name,
      version: rc.contract.version,
      fingerprint: contentHash(section),
      config,
      keys: {
        prediction: pointerKeys(config.prediction),
        confidence: pointerKeys(config.confidence),
        model: pointerKeys(config.model),
        labelKey: pointerKeys(config.labelKey),
        labelValue: pointerKeys(config.labelValue),
      },
      join: newJoin(config),
      models: new Map(),
      invalidPredictions: 0,
      invalidLabels: 0,
      outsideWindow: 0,
    };
    if (restored.has(name)) {
      apply(monitor, restored.get(name));
      restored.delete(name);
    }
    byName.set(name, monitor);
    const listeners = byLabels.get(config.labels) ?? [];
    listeners.push(monitor);
    byLabels.set(config.labels, listeners);
    return monitor;
  }

  function planned(rc: ResolvedContract): Monitor | null {
    let m = plans.get(rc);
    if (m === undefined) {
      m = plan(rc);
      plans.set(rc, m);
    }
    return m;
  }

  function trackedFor(m: Monitor, value: unknown): Tracked {
    let key = scalar(value) ?? DEFAULT_MODEL;
    let t = m.models.get(key);
    if (t !== undefined) return t;
    if (m.models.size >= MAX_MODELS) {
      // A key no event value can be, so a model named "other" stays apart.
      key = OVERFLOW_KEY;
      t = m.models.get(key);
      if (t !== undefined) return t;
    }
    t = newTracked(m.config, key);
    m.models.set(key, t);
    return t;
  }

  /**
   * Takes a snapshot's state into a monitor that has seen no event yet, when
   * it was taken under the same section. One that has changed is dropped,
   * and so is one that does not read (a corrupt row must not stop the
   * service): the monitor then starts afresh, as without a snapshot.
   */
  function apply(m: Monitor, state: unknown): void {
    const snap = state as CalibrationSnapshot | null;
    if (snap === null || typeof snap !== 'object' || snap.fingerprint !== m.fingerprint) return;
    let read: Pick<Monitor, 'models' | 'join' | 'invalidPredictions' | 'invalidLabels' | 'outsideWindow'>;
    try {
      read = readSnapshot(m.config, snap);
    } catch {
      return;
    }
    Object.assign(m, read);
  }

  /** A label joined its prediction. */
  function record(m: Monitor, j: Joined<Prediction>): void {
    const { tracked, value, confidence } = j.prediction;
    countLabelled(m, tracked, j.predictionMs, confidence, j.label === value, value);
  }

  /** Counts a labelled prediction in its prediction's sub-window (or keeps it until the edges are frozen). */
  function countLabelled(
    m: Monitor,
    t: Tracked,
    predictionMs: number,
    confidence: number,
    correct: boolean,
    intent: string,
  ): void {
    if (t.template === null) {
      t.early.push([predictionMs, confidence, correct, intent]);
      return;
    }
    const bucket = t.windows.at(predictionMs);
    if (bucket === undefined) {
      m.outsideWindow++;
      return;
    }
    const tracked = t.ranking.tracks(intent) ? intent : null;
    addLabelled(bucket, t.template, confidence, correct, tracked, 2 * m.config.maxIntents);
  }

  function predict(m: Monitor, event: Record<string, unknown>, id: string | null, ms: number): void {
    const raw = valueAtKeys(event, m.keys.prediction);
    // An abstention (null) or no prediction at all is not a prediction to calibrate.
    if (raw === null || raw === undefined) return;
    const value = scalar(raw);
    const confidence = valueAtKeys(event, m.keys.confidence);
    if (
      id === null ||
      value === null ||
      typeof confidence !== 'number' ||
      !(confidence >= 0 && confidence <= 1)
    ) {
      m.invalidPredictions++;
      return;
    }
    const t = trackedFor(m, valueAtKeys(event, m.keys.model));
    const added = m.join.addPrediction(id, ms, { tracked: t, value, confidence });
    if (added.status === 'duplicate') return;
    const bucket = t.windows.at(ms);
    if (bucket) addPrediction(bucket, confidence);
    t.ranking.count(value);
    if (t.template === null) freezeWhenReady(m, t, confidence);
    if (added.joined) record(m, added.joined);
  }

  /** Quantile binning: the first `minLabels` confidences fix the edges; labels joined meanwhile are counted then. */
  function freezeWhenReady(m: Monitor, t: Tracked, confidence: number): void {
    t.confidences.push(confidence);
    if (t.confidences.length < m.config.minLabels) return;
    t.template = ReliabilityBins.quantile(t.confidences, m.config.bins);
    t.confidences = [];
    const early = t.early;
    t.early = [];
    for (const [predictionMs, conf, correct, intent] of early)
      countLabelled(m, t, predictionMs, conf, correct, intent);
  }

  function label(listeners: readonly Monitor[], event: Record<string, unknown>, ms: number): void {
    const unknown: Array<[Monitor, string, string]> = [];
    let found = false;
    for (const m of listeners) {
      const key = scalar(valueAtKeys(event, m.keys.labelKey));
      const value = scalar(valueAtKeys(event, m.keys.labelValue));
      if (key === null || value === null) {
        m.invalidLabels++;
        continue;
      }
      const outcome = m.join.match(key, ms, value);
      if (outcome.status === 'unknown') unknown.push([m, key, value]);
      else found = true;
      if (outcome.status === 'joined') record(m, outcome);
    }
    // Prediction ids are unique across contracts: a label one monitor took is not another's to wait for.
    if (!found) for (const [m, key, value] of unknown) m.join.hold(key, ms, value);
  }

  return {
    name: CALIBRATION_DETECTOR,
    kinds: [{ kind: 'calibration_drift', severity: 'warning' }],
    inspect(event, ctx) {
      const m = planned(ctx.contract);
      const nowMs = ctx.now.getTime();
      // Event time, but a clock far ahead of ours must not push the windows into the future.
      const ms = Math.min(ctx.envelope.occurred_ms ?? nowMs, nowMs + 60_000);
      if (m !== null) predict(m, event, ctx.envelope.event_id, ms);
      const listeners = byLabels.get(ctx.contract.contract.contract);
      if (listeners !== undefined) label(listeners, event, ms);
      return [];
    },
    evaluate(now) {
      const nowMs = now.getTime();
      const findings: Finding[] = [];
      const readings: CalibrationReading[] = [];
      const nextStates: CalibrationMonitorState[] = [];
      for (const m of byName.values()) {
        for (const t of m.models.values()) {
          t.ranking.rank();
          const what = `${m.contract} ${m.config.prediction} (model ${t.model})`;
          const v = judgeModel(m.config, what, t.windows, nowMs);
          // Only judged evaluations move the gate: a window short of labels says nothing either way.
          // One entry per window of event time, however often the timer evaluates.
          const firing = v.judged ? t.gate.record(Math.floor(nowMs / m.config.windowMs), v.drifted) : false;
          const reading: CalibrationReading = {
            ...v,
            contract: m.contract,
            attribute: m.config.prediction,
            model: t.model,
            firing,
          };
          readings.push(reading);
          nextStates.push({
            contract: m.contract,
            attribute: m.config.prediction,
            model: t.model,
            state: v.judged ? monitorState(v.drifted, firing) : 'collecting',
            reading,
          });
          if (dueReport(t, firing, nowMs, m.config.windowMs)) findings.push(driftFinding(m, reading, now));
        }
      }
      latest = readings;
      states = nextStates;
      return findings;
    },
    readings: () => latest,
    states: () => states,
    watch(contract) {
      planned(contract);
    },
    snapshot(): MonitorSnapshot[] {
      const out: MonitorSnapshot[] = [...byName.values()].map((m) => ({
        contract: m.contract,
        state: writeSnapshot(m),
      }));
      // Not claimed yet (no event or watch since the restart): passed on as read, or the next save would lose
      // them. A contract no longer monitored keeps passing its last one on so (stale, but small).
      for (const [contract, state] of restored) out.push({ contract, state });
      return out;
    },
    restore(snapshots) {
      for (const s of snapshots) {
        // `watch` may have created the monitor already, before any event: it takes the snapshot now.
        const m = byName.get(s.contract);
        if (m !== undefined) apply(m, s.state);
        else restored.set(s.contract, s.state);
      }
    },
    joins: () =>
      [...byName.values()].map((m) => ({
        contract: m.contract,
        labels: m.config.labels,
        ...m.join.counts(),
        invalidPredictions: m.invalidPredictions,
        invalidLabels: m.invalidLabels,
        outsideWindow: m.outsideWindow,
      })),
  };
}

function newJoin(c: CalibrationMonitorConfig): LabelJoin<Prediction> {
  return new LabelJoin({ ttlMs: c.labelTtlMs, maxPending: c.maxPending });
}

/** A model's empty state, under the key it has in `Monitor.models`. */
function newTracked(c: CalibrationMonitorConfig, key: string): Tracked {
  // Room for more intents per sub-window than are reported, as the ranking moves.
  const perWindow = 2 * c.maxIntents;
  return {
    model: key === OVERFLOW_KEY ? OTHER_MODEL : safeToken(key),
    windows: new ReferenceWindows(calibrationStatsOps(perWindow), {
      subMs: c.subWindowMs,
      count: c.windowMs / c.subWindowMs,
      reference: c.reference,
      ...(c.baseline ? { baseline: c.baseline } : {}),
    }),
    template: c.binning === 'uniform' ? ReliabilityBins.uniform(c.bins) : null,
    confidences: [],
    early: [],
    ranking: new IntentRanking(c.maxIntents),
    gate: new ConsecutiveGate(c.consecutive.k, c.consecutive.n),
    reportedUntil: Number.NEGATIVE_INFINITY,
  };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function writeSnapshot(m: Monitor): CalibrationSnapshot {
  const index = new Map<Tracked, number>();
  const models: ModelSnapshot[] = [];
  for (const [key, t] of m.models) {
    index.set(t, models.length);
    models.push({
      key: key === OVERFLOW_KEY ? null : storeText(key),
      windows: t.windows.snapshot(),
      edges: m.config.binning === 'quantile' && t.template ? [...t.template.edges] : null,
      confidences: [...t.confidences],
      early: t.early.map(([ms, confidence, correct, intent]) => [ms, confidence, correct, storeText(intent)]),
      ranking: t.ranking.toJSON(),
      gate: t.gate.toJSON(),
      gateSlot: t.gate.lastSlot,
      reportedUntil: finite(t.reportedUntil),
    });
  }
  return {
    fingerprint: m.fingerprint,
    models,
    join: m.join.toJSON((p): StoredPrediction => [index.get(p.tracked)!, storeText(p.value), p.confidence]),
    invalidPredictions: m.invalidPredictions,
    invalidLabels: m.invalidLabels,
    outsideWindow: m.outsideWindow,
  };
}

/** A monitor's state from its snapshot (taken under the same config); throws on one that does not read. */
function readSnapshot(
  c: CalibrationMonitorConfig,
  snap: CalibrationSnapshot,
): Pick<Monitor, 'models' | 'join' | 'invalidPredictions' | 'invalidLabels' | 'outsideWindow'> {
  const models = new Map<string, Tracked>();
  const order: Tracked[] = [];
  for (const s of snap.models) {
    const key = s.key === null ? OVERFLOW_KEY : readText(s.key);
    const t = newTracked(c, key);
    t.windows.restore(s.windows);
    if (c.binning === 'quantile' && s.edges !== null) t.template = ReliabilityBins.frozen(s.edges);
    t.confidences = [...s.confidences];
    t.early = s.early.map(([ms, confidence, correct, intent]) => [ms, confidence, correct, readText(intent)]);
    t.ranking.restore(s.ranking);
    t.gate.restore(s.gate, s.gateSlot ?? null);
    t.reportedUntil = s.reportedUntil ?? Number.NEGATIVE_INFINITY;
    models.set(key, t);
    order.push(t);
  }
  const join = newJoin(c);
  join.restore(snap.join, ([i, value, confidence]) => {
    const tracked = order[i];
    if (tracked === undefined)
      throw new RangeError(`a pending prediction names model ${i}, not in the snapshot`);
    return { tracked, value: readText(value), confidence };
  });
  return {
    models,
    join,
    invalidPredictions: snap.invalidPredictions,
    invalidLabels: snap.invalidLabels,
    outsideWindow: snap.outsideWindow,
  };
}

/** A string, number or boolean as a string; anything else null. */
function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return null;
}

function driftFinding(m: Monitor, r: CalibrationReading, now: Date): Finding {
  return makeFinding(
    {
      detector: CALIBRATION_DETECTOR,
      kind: 'calibration_drift',
      contract: m.contract,
      version: m.version,
      attribute: r.attribute,
      occurred_at: r.window.from,
      message: r.explanation,
      evidence: {
        model: r.model,
        labels: m.config.labels,
        triggers: r.triggers,
        ece: r.ece,
        mce: r.mce,
        brier: r.brier,
        accuracy: r.accuracy,
        mean_confidence: r.meanConfidence,
        expected_accuracy: r.expectedAccuracy,
        max_ece: r.maxEce,
        reference_ece: r.referenceEce,
        ece_delta: r.eceDelta,
        labelled: r.labelled,
        unlabelled: r.unlabelled,
        window: r.window,
        reference: r.reference,
        intents: r.intents,
        reliability_diagram: r.diagram,
      },
    },
    now,
  );
}
