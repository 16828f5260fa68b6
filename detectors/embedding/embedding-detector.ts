import { type Finding, makeFinding } from '../../monitor/findings/finding.js';
import { pointerKeys, valueAtKeys } from '../../monitor/findings/json-pointer.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import { contentHash } from '../../monitor/store/contract-hash.js';
import type { Detector, MonitorSnapshot } from '../detector.js';
import { ConsecutiveGate } from '../stats/consecutive-gate.js';
import { dueReport, monitorState } from '../stats/drift-report.js';
import { ReferenceWindows, type ReferenceWindowsSnapshot } from '../stats/reference-windows.js';
import { type EmbeddingMonitorConfig, readEmbeddingMonitor } from './embedding-config.js';
import {
  addVector,
  type EmbeddingStats,
  type EmbeddingStatsOps,
  embeddingStatsOps,
  mixSeed,
} from './embedding-stats.js';
import { type EmbeddingVerdict, judgeEmbedding } from './judge-embedding.js';

export const EMBEDDING_DETECTOR = 'embedding';

/** Vectors left out of the windows, by reason. */
export interface IgnoredVectors {
  /** A length other than the dimension fixed by the first vector. */
  wrongDimension: number;
  /** Not an array of finite numbers (or an empty one). */
  invalid: number;
  /** Event time older than any sub-window kept. */
  late: number;
}

/** The windows of one contract's embedding, created with the first vector, which fixes the dimension. */
interface Windows {
  dims: number;
  ops: EmbeddingStatsOps;
  windows: ReferenceWindows<EmbeddingStats>;
  newestSub: number;
}

interface Monitor {
  contract: string;
  version: string;
  /** Of the section and the config read from it: a snapshot taken under another does not apply. */
  fingerprint: string;
  config: EmbeddingMonitorConfig;
  keys: string[];
  w: Windows | null;
  accepted: number;
  ignored: IgnoredVectors;
  /** Vectors in a row of one other dimension than the windows' (see observe). */
  otherDims: number;
  otherRun: number;
  gate: ConsecutiveGate;
  /** End (ms) of the window a drift was last reported for: one finding per window length while it lasts. */
  reportedUntil: number;
  /** What the windows were last judged on, and the outcome (undefined: collecting), so unchanged windows are not judged twice. */
  judged: { key: string; verdict: EmbeddingVerdict | undefined; evaluationMs: number } | null;
  reading: EmbeddingReading | null;
  state: EmbeddingMonitorState['state'];
}

/**
 * One contract's monitor as plain JSON (see snapshot()): the windows' sums
 * and samples with their vectors packed (packFloats), the gate, the counters
 * and the last verdict, so that unchanged windows are not judged again and
 * counted twice towards k of n after a restart. JSON has no infinities: null
 * stands for "never" in reportedUntil and newestSub.
 */
export interface EmbeddingSnapshot {
  fingerprint: string;
  /** Fixed by the first vector; null (with no windows) before it. */
  dims: number | null;
  windows: ReferenceWindowsSnapshot | null;
  newestSub: number | null;
  accepted: number;
  ignored: IgnoredVectors;
  gate: boolean[];
  /** The window of the gate's last entry (absent in snapshots from before it was kept). */
  gateSlot?: number | null;
  reportedUntil: number | null;
  judged: { key: string; verdict: EmbeddingVerdict | null; evaluationMs: number } | null;
  reading: EmbeddingReading | null;
  state: EmbeddingMonitorState['state'];
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The state of one contract's embedding as of the last evaluation, for gauges and GET /v1/monitors. */
export interface EmbeddingReading extends EmbeddingVerdict {
  contract: string;
  /** The drift persisted over k of the last n windows: reported. */
  firing: boolean;
  /** When the windows were judged (a later evaluation of unchanged windows keeps it), and how long that took. */
  judgedAt: string;
  evaluationMs: number;
}

/** One contract's embedding monitor: still collecting (no reference, or too few vectors), or judged. */
export interface EmbeddingMonitorState {
  contract: string;
  attribute: string;
  type: 'embedding';
  state: 'collecting' | 'stable' | 'drifting' | 'firing';
  /** Fixed by the first vector seen; null before it. */
  dims: number | null;
  /** Vectors added to the windows since the start. */
  accepted: number;
  ignored: IgnoredVectors;
  reading: EmbeddingReading | null;
}

export interface EmbeddingDriftDetector extends Detector {
  /** The judged monitors as of the last evaluation, for gauges. */
  readings(): EmbeddingReading[];
  /** Every monitor of every contract seen, judged or not, with its current counts, for GET /v1/monitors. */
  states(): EmbeddingMonitorState[];
}

/**
 * Embedding drift of the attribute a contract names under
 * `monitors.embedding_drift`: each event adds its vector to the current
 * sub-window's sums and sample (O(dims)); evaluation compares the window with
 * its reference three ways (MMD^2 with a permutation test on the samples,
 * cosine distance of the means, share of drifted components; see
 * judgeEmbedding) and reports `embedding_drift` once the drift has held in
 * k of the last n windows. Monitors are per contract name, from the first
 * version seen that declares one.
 *
 * Judging 500 + 500 vectors of 384 dimensions with 200 permutations takes a
 * few hundred milliseconds, so windows that have not changed since they were
 * last judged (no vector accepted, the same sub-window) keep their verdict,
 * and such an evaluation does not count again towards k of n.
 *
 * snapshot() and restore() carry a monitor over a restart exactly: every
 * random draw is keyed by the seed and the sub-window, and a live reservoir's
 * source is carried as its seed and draw count, so a restored detector fed
 * the same events reads as one that never stopped.
 */
export function createEmbeddingDriftDetector(): EmbeddingDriftDetector {
  const plans = new WeakMap<ResolvedContract, Monitor | null>();
  const byName = new Map<string, Monitor>();
  /** Snapshots given to restore(), by contract, until that contract's monitor is created on its first event. */
  const restored = new Map<string, EmbeddingSnapshot>();
  let latest: EmbeddingReading[] = [];

  function plan(rc: ResolvedContract): Monitor | null {
    const name = rc.contract.contract;
    const existing = byName.get(name);
    if (existing) return existing;
    const section = rc.contract.monitors?.embedding_drift;
    if (section === undefined) return null;
    const read = readEmbeddingMonitor(section);
    // The registry refuses a contract whose section does not read; this is a second line, not an error path.
    if (!read.ok) return null;
    const config = read.config;
    const monitor: Monitor = {
      contract: name,
      version: rc.contract.version,
      // The config too: a changed default changes the windows' shape as much as an edited section would.
      fingerprint: contentHash({ section, config }),
      config,
      keys: pointerKeys(config.attribute),
      w: null,
      accepted: 0,
      ignored: { wrongDimension: 0, invalid: 0, late: 0 },
      otherDims: 0,
      otherRun: 0,
      gate: new ConsecutiveGate(config.consecutive.k, config.consecutive.n),
      reportedUntil: Number.NEGATIVE_INFINITY,
      judged: null,
      reading: null,
      state: 'collecting',
    };
    const snap = restored.get(name);
    restored.delete(name);
    if (snap !== undefined && snap.fingerprint === monitor.fingerprint) apply(monitor, snap);
    byName.set(name, monitor);
    return monitor;
  }

  /** Carries a monitor on from its snapshot; one that does not read leaves it fresh, as a changed section would. */
  function apply(m: Monitor, s: EmbeddingSnapshot): void {
    try {
      let w: Windows | null = null;
      if (s.dims !== null) {
        if (s.windows === null || s.newestSub === null) throw new RangeError('windows missing');
        w = openWindows(m.config, s.dims);
        w.windows.restore(s.windows);
        w.newestSub = s.newestSub;
      }
      const gate = new ConsecutiveGate(m.config.consecutive.k, m.config.consecutive.n);
      gate.restore(s.gate, s.gateSlot ?? null);
      const { wrongDimension, invalid, late } = s.ignored;
      if (![s.accepted, wrongDimension, invalid, late].every((n) => Number.isInteger(n) && n >= 0)) {
        throw new RangeError('bad counters');
      }
      m.w = w;
      m.gate = gate;
      m.accepted = s.accepted;
      m.ignored = { wrongDimension, invalid, late };
      m.reportedUntil = s.reportedUntil ?? Number.NEGATIVE_INFINITY;
      m.judged = s.judged && { ...s.judged, verdict: s.judged.verdict ?? undefined };
      m.reading = s.reading;
      m.state = s.state;
    } catch {
      // Starting afresh costs one window of history; refusing events over an unreadable snapshot would cost more.
    }
  }

  function snapshotOf(m: Monitor): EmbeddingSnapshot {
    const w = m.w;
    return {
      fingerprint: m.fingerprint,
      dims: w ? w.dims : null,
      windows: w ? w.windows.snapshot() : null,
      newestSub: w ? finiteOrNull(w.newestSub) : null,
      accepted: m.accepted,
      ignored: { ...m.ignored },
      gate: m.gate.toJSON(),
      gateSlot: m.gate.lastSlot,
      reportedUntil: finiteOrNull(m.reportedUntil),
      judged: m.judged && { ...m.judged, verdict: m.judged.verdict ?? null },
      reading: m.reading,
      state: m.state,
    };
  }

  function openWindows(config: EmbeddingMonitorConfig, dims: number): Windows {
    const ops = embeddingStatsOps({ dims, capacity: config.reservoir, seed: config.seed });
    const windows = new ReferenceWindows(ops, {
      subMs: config.subWindowMs,
      count: config.windowMs / config.subWindowMs,
      reference: config.reference,
      ...(config.baseline ? { baseline: config.baseline } : {}),
    });
    return { dims, ops, windows, newestSub: Number.NEGATIVE_INFINITY };
  }

  function observe(m: Monitor, value: unknown, ms: number): void {
    if (!Array.isArray(value) || value.length === 0) {
      m.ignored.invalid++;
      return;
    }
    if (m.w !== null && value.length !== m.w.dims) {
      // The first vector fixed the dimension. A run of min_samples vectors of one other dimension, with
      // none of the fixed one between, means that first vector was the odd one or the model changed:
      // the windows start again at the new dimension rather than ignoring everything from now on.
      m.otherRun = value.length === m.otherDims ? m.otherRun + 1 : 1;
      m.otherDims = value.length;
      if (m.otherRun < m.config.minSamples) {
        m.ignored.wrongDimension++;
        return;
      }
      m.w = null;
      m.judged = null;
      m.reading = null;
      m.otherRun = 0;
    } else m.otherRun = 0;
    for (let i = 0; i < value.length; i++) {
      const x: unknown = value[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        m.ignored.invalid++;
        return;
      }
    }
    m.w ??= openWindows(m.config, value.length);
    const w = m.w;
    const sub = Math.floor(ms / m.config.subWindowMs);
    if (sub > w.newestSub) {
      // A new sub-window may slide old ones into the baseline or their hour: draws keyed by it.
      w.newestSub = sub;
      w.ops.reseed(mixSeed(m.config.seed, sub));
    }
    const bucket = w.windows.at(ms);
    if (bucket === undefined) {
      m.ignored.late++;
      return;
    }
    addVector(bucket, value as number[], m.config.reservoir, mixSeed(m.config.seed, sub));
    m.accepted++;
  }

  /** Judges the windows unless they are unchanged since they were last judged; true when it judged. */
  function refresh(m: Monitor, now: Date): boolean {
    const w = m.w;
    if (w === null) return false;
    const nowMs = now.getTime();
    const sub = Math.floor(nowMs / m.config.subWindowMs);
    // Both windows are fixed by the sub-window holding now and the vectors accepted (a configured baseline also by whether it has ended).
    const passed = m.config.baseline ? nowMs >= m.config.baseline.toMs : '';
    const key = `${m.accepted}:${sub}:${passed}`;
    if (m.judged?.key === key) return false;
    // Merges draw from the sub-window's seed: the verdict does not depend on earlier evaluations.
    w.ops.reseed(mixSeed(m.config.seed, sub));
    const started = performance.now();
    const verdict = judgeEmbedding(m.config, w.windows, nowMs);
    m.judged = { key, verdict, evaluationMs: performance.now() - started };
    return true;
  }

  return {
    name: EMBEDDING_DETECTOR,
    kinds: [{ kind: 'embedding_drift', severity: 'warning' }],
    inspect(event, ctx) {
      let m = plans.get(ctx.contract);
      if (m === undefined) {
        m = plan(ctx.contract);
        plans.set(ctx.contract, m);
      }
      if (m === null) return [];
      const value = valueAtKeys(event, m.keys);
      if (value === undefined || value === null) return [];
      const nowMs = ctx.now.getTime();
      // Event time, but a clock far ahead of ours must not push the window into the future.
      observe(m, value, Math.min(ctx.envelope.occurred_ms ?? nowMs, nowMs + 60_000));
      return [];
    },
    evaluate(now) {
      const nowMs = now.getTime();
      const findings: Finding[] = [];
      const readings: EmbeddingReading[] = [];
      for (const m of byName.values()) {
        const fresh = refresh(m, now);
        const judged = m.judged;
        const verdict = judged?.verdict;
        if (!judged || !verdict) {
          m.reading = null;
          m.state = 'collecting';
          continue;
        }
        let reading = m.reading;
        // Only a fresh judgement counts towards k of n: unchanged windows are the same evidence.
        if (fresh || reading === null) {
          reading = {
            ...verdict,
            contract: m.contract,
            // One entry per window of event time, however often the timer evaluates.
            firing: m.gate.record(Math.floor(now.getTime() / m.config.windowMs), verdict.drifted),
            judgedAt: now.toISOString(),
            evaluationMs: Math.round(judged.evaluationMs * 10) / 10,
          };
        }
        const firing = reading.firing;
        m.reading = reading;
        m.state = monitorState(verdict.drifted, firing);
        readings.push(reading);
        if (dueReport(m, firing, nowMs, m.config.windowMs)) findings.push(driftFinding(m, reading, now));
      }
      latest = readings;
      return findings;
    },
    readings: () => latest,
    states: () =>
      [...byName.values()].map((m) => ({
        contract: m.contract,
        attribute: m.config.attribute,
        type: 'embedding',
        state: m.state,
        dims: m.w?.dims ?? null,
        accepted: m.accepted,
        ignored: { ...m.ignored },
        reading: m.reading,
      })),
    snapshot(): MonitorSnapshot[] {
      const live = [...byName.values()].map((m) => ({ contract: m.contract, state: snapshotOf(m) }));
      // A contract with no event since the restart still has its state to carry to the next one.
      const waiting = [...restored].map(([contract, state]) => ({ contract, state }));
      return [...live, ...waiting];
    },
    restore(snapshots) {
      for (const s of snapshots) {
        // Called before any event; a monitor that exists already keeps what it has.
        if (byName.has(s.contract)) continue;
        const state = s.state as EmbeddingSnapshot | null;
        if (state !== null && typeof state === 'object' && typeof state.fingerprint === 'string') {
          restored.set(s.contract, state);
        }
      }
    },
  };
}

function driftFinding(m: Monitor, r: EmbeddingReading, now: Date): Finding {
  return makeFinding(
    {
      detector: EMBEDDING_DETECTOR,
      kind: 'embedding_drift',
      contract: m.contract,
      version: m.version,
      attribute: r.attribute,
      occurred_at: r.window.from,
      message: r.explanation,
      evidence: {
        mmd2: r.mmd2,
        p_value: r.pValue,
        alpha: r.alpha,
        permutations: r.permutations,
        sigma: r.sigma,
        mean_cosine_distance: r.meanCosineDistance,
        drifted_components: r.driftedComponents,
        drifted_share: r.driftedShare,
        thresholds: {
          cosine_distance: r.thresholds.cosineDistance,
          drifted_share: r.thresholds.driftedShare,
          component: r.thresholds.component,
        },
        dims: r.dims,
        n_current: r.nCurrent,
        n_reference: r.nReference,
        sample_current: r.sampleCurrent,
        sample_reference: r.sampleReference,
        window: r.window,
        reference: r.reference,
        seed: r.seed,
      },
    },
    now,
  );
}
