import { type Finding, makeFinding } from '../../monitor/findings/finding.js';
import { pointerKeys, valueAtKeys } from '../../monitor/findings/json-pointer.js';
import { safeToken } from '../../monitor/findings/safe-token.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import type { Detector, MonitorSnapshot } from '../detector.js';
import { ConsecutiveGate } from '../stats/consecutive-gate.js';
import { dueReport, monitorState } from '../stats/drift-report.js';
import { ReferenceWindows, type ReferenceWindowsSnapshot } from '../stats/reference-windows.js';
import {
  type AttributeStats,
  addCategorical,
  addNumeric,
  attributeStatsOps,
  OTHER,
} from './attribute-stats.js';
import {
  type DistributionMonitorConfig,
  type MonitoredAttribute,
  readDistributionMonitor,
} from './distribution-config.js';
import { type AttributeVerdict, freezeEdges, judgeContract, numericBin } from './judge-distribution.js';

export const DISTRIBUTION_DETECTOR = 'distribution';

/** One monitored attribute of one contract: its windows, its frozen bin edges and its gate. */
interface Watched {
  attr: MonitoredAttribute;
  keys: string[];
  windows: ReferenceWindows<AttributeStats>;
  /** Numeric: frozen edges, or null until `minSamples` values have been seen. */
  edges: number[] | null;
  /** Numeric values (with their event time) seen before the edges were frozen. */
  pending: Array<[ms: number, value: number]>;
  /**
   * Categorical: the values counted by name, fixed as they are first seen
   * (at most maxCategories, later ones count as OTHER), so that every
   * window names the same values; each through safeToken, so raw traffic
   * (PII, NUL) reaches neither findings nor the stored state.
   */
  vocabulary: Set<string>;
  gate: ConsecutiveGate;
  /** End (ms) of the window a drift was last reported for: one finding per window length while it lasts. */
  reportedUntil: number;
}

interface Monitor {
  contract: string;
  version: string;
  /** The section as written: a snapshot taken under another one does not apply. */
  fingerprint: string;
  config: DistributionMonitorConfig;
  watched: Watched[];
}

/** A monitor's state as plain JSON (±Infinity, which JSON lacks, as null). */
interface DistributionSnapshot {
  fingerprint: string;
  version: string;
  watched: Array<{
    pointer: string;
    windows: ReferenceWindowsSnapshot;
    edges: Array<number | null> | null;
    pending: Array<[number, number]>;
    vocabulary?: string[];
    gate: boolean[];
    gateSlot?: number | null;
    reportedUntil: number | null;
  }>;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The state of one monitored attribute as of the last evaluation, for GET /v1/monitors and gauges. */
export interface DistributionReading extends AttributeVerdict {
  contract: string;
  /** Benjamini-Hochberg adjusted p-value across the contract's attributes. */
  pAdjusted: number;
  /** This evaluation found a drift (significant and large enough). */
  drifted: boolean;
  /** The drift persisted over k of the last n windows: reported. */
  firing: boolean;
  window: { from: string; to: string };
  reference: { kind: string; from: string; to: string };
}

/** A monitored attribute's state: still collecting (no reference, or too few events), or judged. */
export interface DistributionMonitorState {
  contract: string;
  attribute: string;
  type: string;
  state: 'collecting' | 'stable' | 'drifting' | 'firing';
  reading: DistributionReading | null;
}

export interface DistributionDetector extends Detector {
  /** The judged attributes as of the last evaluation, for gauges. */
  readings(): DistributionReading[];
  /** Every monitored attribute of every contract seen, judged or not, for GET /v1/monitors. */
  states(): DistributionMonitorState[];
}

/**
 * Distribution drift of the attributes a contract lists under
 * `monitors.distribution`: each event adds its values to the current
 * sub-window (O(1), or O(log bins) for a numeric value); evaluation compares
 * each attribute's window with its reference, corrects the p-values for the
 * contract's attributes together, requires an effect as well as
 * significance, and reports `distribution_drift` once the drift has held in
 * k of the last n windows. Monitors are per contract name, from the first
 * version seen that declares one (versions of one event share its meaning).
 */
export function createDistributionDetector(): DistributionDetector {
  const plans = new WeakMap<ResolvedContract, Monitor | null>();
  const byName = new Map<string, Monitor>();
  let latest: DistributionReading[] = [];
  let states: DistributionMonitorState[] = [];
  /** Snapshots from before a restart, applied when their contract's monitor is created. */
  const restored = new Map<string, DistributionSnapshot>();

  function plan(rc: ResolvedContract): Monitor | null {
    const name = rc.contract.contract;
    const existing = byName.get(name);
    if (existing) return existing;
    const section = rc.contract.monitors?.distribution;
    if (section === undefined) return null;
    const read = readDistributionMonitor(section);
    // The registry refuses a contract whose section does not read; this is a second line, not an error path.
    if (!read.ok) return null;
    const config = read.config;
    const count = config.windowMs / config.subWindowMs;
    const monitor: Monitor = {
      contract: name,
      version: rc.contract.version,
      fingerprint: JSON.stringify(section),
      config,
      watched: config.attributes.map((attr) => ({
        attr,
        keys: pointerKeys(attr.pointer),
        windows: new ReferenceWindows(
          attributeStatsOps({
            // The vocabulary and OTHER: merging sub-windows never pushes a named value into OTHER.
            maxCategories: config.maxCategories + 1,
            bins: attr.type === 'numeric' ? attr.bins : 0,
            smallSample: config.smallSample,
          }),
          {
            subMs: config.subWindowMs,
            count,
            reference: config.reference,
            ...(config.baseline ? { baseline: config.baseline } : {}),
          },
        ),
        // Cut points from the contract become edges whose outer bins are open-ended.
        edges: attr.edges && [Number.NEGATIVE_INFINITY, ...attr.edges, Number.POSITIVE_INFINITY],
        pending: [],
        vocabulary: new Set<string>(),
        gate: new ConsecutiveGate(config.consecutive.k, config.consecutive.n),
        reportedUntil: Number.NEGATIVE_INFINITY,
      })),
    };
    const snap = restored.get(name);
    restored.delete(name);
    if (snap && snap.fingerprint === monitor.fingerprint) apply(monitor, snap);
    byName.set(name, monitor);
    return monitor;
  }

  function apply(m: Monitor, snap: DistributionSnapshot): void {
    for (const w of m.watched) {
      const s = snap.watched.find((x) => x.pointer === w.attr.pointer);
      if (!s) continue;
      w.windows.restore(s.windows);
      if (s.edges) {
        w.edges = s.edges.map((e, i) =>
          e !== null ? e : i === 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
        );
      }
      w.pending = s.pending.map(([t, v]) => [t, v]);
      w.vocabulary = new Set(s.vocabulary ?? []);
      w.gate.restore(s.gate, s.gateSlot ?? null);
      w.reportedUntil = s.reportedUntil ?? Number.NEGATIVE_INFINITY;
    }
  }

  function observe(m: Monitor, w: Watched, value: unknown, ms: number): void {
    if (w.attr.type === 'categorical') {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
      const bucket = w.windows.at(ms);
      if (!bucket) return;
      let key = safeToken(String(value));
      if (!w.vocabulary.has(key)) {
        if (w.vocabulary.size < m.config.maxCategories) w.vocabulary.add(key);
        else key = OTHER;
      }
      addCategorical(bucket, key, m.config.maxCategories + 1);
      return;
    }
    // Beyond 1e150 a value's square overflows the sums the distances are normalized by.
    if (typeof value !== 'number' || !(Math.abs(value) <= 1e150)) return;
    if (w.edges === null) {
      w.pending.push([ms, value]);
      if (w.pending.length < m.config.minSamples) return;
      // Enough values to freeze equal-count edges: from now on a value costs a binary search.
      w.edges = freezeEdges(
        w.pending.map(([, v]) => v),
        w.attr.bins,
      );
      const pending = w.pending;
      w.pending = [];
      for (const [t, v] of pending) {
        const bucket = w.windows.at(t);
        if (bucket) addNumeric(bucket, v, numericBin(w.edges, v), m.config.smallSample);
      }
      return;
    }
    const bucket = w.windows.at(ms);
    if (bucket) addNumeric(bucket, value, numericBin(w.edges, value), m.config.smallSample);
  }

  return {
    name: DISTRIBUTION_DETECTOR,
    kinds: [{ kind: 'distribution_drift', severity: 'warning' }],
    inspect(event, ctx) {
      let m = plans.get(ctx.contract);
      if (m === undefined) {
        m = plan(ctx.contract);
        plans.set(ctx.contract, m);
      }
      if (m === null) return [];
      const nowMs = ctx.now.getTime();
      // Event time, but a clock far ahead of ours must not push the window into the future.
      const ms = Math.min(ctx.envelope.occurred_ms ?? nowMs, nowMs + 60_000);
      for (const w of m.watched) {
        const value = valueAtKeys(event, w.keys);
        if (value !== undefined && value !== null) observe(m, w, value, ms);
      }
      return [];
    },
    evaluate(now) {
      const nowMs = now.getTime();
      const findings: Finding[] = [];
      const readings: DistributionReading[] = [];
      const nextStates: DistributionMonitorState[] = [];
      for (const m of byName.values()) {
        const verdicts = judgeContract(m.config, m.watched, nowMs);
        for (let i = 0; i < m.watched.length; i++) {
          const w = m.watched[i]!;
          const v = verdicts[i];
          const state = { contract: m.contract, attribute: w.attr.pointer, type: w.attr.type };
          if (!v) {
            nextStates.push({ ...state, state: 'collecting', reading: null });
            continue;
          }
          // One gate entry per window of event time, however often the timer evaluates.
          const firing = w.gate.record(Math.floor(nowMs / m.config.windowMs), v.drifted);
          const reading: DistributionReading = { ...v, contract: m.contract, firing };
          readings.push(reading);
          nextStates.push({
            ...state,
            state: monitorState(v.drifted, firing),
            reading,
          });
          if (dueReport(w, firing, nowMs, m.config.windowMs)) findings.push(driftFinding(m, reading, now));
        }
      }
      latest = readings;
      states = nextStates;
      return findings;
    },
    readings: () => latest,
    states: () => states,
    snapshot(): MonitorSnapshot[] {
      // Snapshots restored but not yet taken up (no event of their contract since the restart) are kept as they are.
      const waiting = [...restored].map(([contract, state]) => ({ contract, state }));
      return [
        ...waiting,
        ...[...byName.values()].map((m) => {
          const state: DistributionSnapshot = {
            fingerprint: m.fingerprint,
            version: m.version,
            watched: m.watched.map((w) => ({
              pointer: w.attr.pointer,
              windows: w.windows.snapshot(),
              edges: w.edges && w.edges.map(finite),
              pending: w.pending,
              vocabulary: [...w.vocabulary],
              gate: w.gate.toJSON(),
              gateSlot: w.gate.lastSlot,
              reportedUntil: finite(w.reportedUntil),
            })),
          };
          return { contract: m.contract, state };
        }),
      ];
    },
    restore(snapshots) {
      for (const s of snapshots) restored.set(s.contract, s.state as DistributionSnapshot);
    },
  };
}

function driftFinding(m: Monitor, r: DistributionReading, now: Date): Finding {
  return makeFinding(
    {
      detector: DISTRIBUTION_DETECTOR,
      kind: 'distribution_drift',
      contract: m.contract,
      version: m.version,
      attribute: r.attribute,
      occurred_at: r.window.from,
      message: r.explanation,
      evidence: {
        test: r.test,
        statistic: r.statistic,
        p_value: r.pValue,
        p_adjusted: r.pAdjusted,
        effect: r.effect,
        psi: r.psi,
        n_current: r.nCurrent,
        n_reference: r.nReference,
        window: r.window,
        reference: r.reference,
        top_shifts: r.topShifts,
      },
    },
    now,
  );
}
