import { type Finding, makeFinding } from '../../monitor/findings/finding.js';
import { pointerKeys, valueAtKeys } from '../../monitor/findings/json-pointer.js';
import { safeToken } from '../../monitor/findings/safe-token.js';
import { contentHash } from '../../monitor/store/contract-hash.js';
import type { Detector, InspectContext, MonitorSnapshot } from '../detector.js';
import type { ExperimentConfig, ExperimentSection } from './experiment-config.js';
import { readExperimentResult } from './experiment-reading.js';
import { ExperimentTracker, type ExperimentTrackerJson } from './experiment-tracker.js';
import { type ExperimentResult, judgeExperiment, type Verdict } from './judge-experiment.js';

export const HOLDOUT_DETECTOR = 'holdout';

/** Where an experiment was defined: the config file, or `POST /v1/experiments` (kept in the store). */
export type ExperimentSource = 'config' | 'api';

interface Entry {
  config: ExperimentConfig;
  section: ExperimentSection;
  source: ExperimentSource;
  fingerprint: string;
  tracker: ExperimentTracker;
  result: ExperimentResult | null;
  /** What went wrong at the last evaluation, shown beside the numbers; null when nothing did. */
  error: string | null;
  /** A saved state that could not be taken up at start; kept until the experiment is defined again. */
  restoreError: string | null;
  /** Reported state, so a finding marks a change (a mismatch appearing, a lift becoming clear), not every evaluation. */
  reportedSrm: boolean;
  /** By "metric/arm". */
  reportedVerdicts: Map<string, Verdict>;
}

/** What `GET /v1/experiments` lists and `GET /v1/experiments/:id` answers. */
export interface ExperimentView {
  id: string;
  description: string;
  source: ExperimentSource;
  definition: ExperimentSection;
  events: { exposures: Record<string, number>; outcomes: Record<string, number> };
  memory: { bytes: number; outcomeEntries: number };
  result: ExperimentResult | null;
  /** What went wrong at the last evaluation or restore, or null. */
  error: string | null;
  reading: string[];
}

interface ExposureRoute {
  pointer: string;
  keys: string[];
  ids: Map<string, Entry>;
}

interface SnapshotState {
  fingerprint: string;
  tracker: ExperimentTrackerJson;
  reportedSrm: boolean;
  reportedVerdicts: Record<string, Verdict>;
}

/** The prefix of an experiment's snapshot key among the detector's monitor snapshots. */
const SNAPSHOT_PREFIX = 'experiment:';

/**
 * The holdout lift detector. Exposure events assign units to arms (the
 * first by event time fixes the arm); outcome events are counted against
 * each unit's attribution window; `evaluate` turns the units into per-arm
 * statistics, fixed-horizon and always-valid intervals and the sample-ratio
 * check, and reports `srm` when the split breaks and `lift_positive` /
 * `lift_negative` when the always-valid interval leaves zero. Per event:
 * `arm_crossover` for a unit seen in a second arm (left out for good) and
 * `unknown_arm` for an arm the experiment does not have. Exposures of
 * experiments nobody configured are counted, not reported.
 *
 * Lifecycle: no timers of its own; `evaluate` runs on the app's schedule.
 */
export class HoldoutDetector implements Detector {
  readonly name = HOLDOUT_DETECTOR;
  readonly kinds = [
    { kind: 'srm', severity: 'critical' },
    { kind: 'lift_negative', severity: 'warning' },
    { kind: 'lift_positive', severity: 'info' },
    { kind: 'arm_crossover', severity: 'warning' },
    { kind: 'unknown_arm', severity: 'warning' },
  ] as const;
  private readonly entries = new Map<string, Entry>();
  /** By exposure event type: the experiment-id pointers in use there. */
  private exposureRoutes = new Map<string, ExposureRoute[]>();
  /** By outcome event type: the experiments measuring it. */
  private outcomeRoutes = new Map<string, Entry[]>();
  /** Exposures naming an experiment nobody configured. */
  unknownExperimentExposures = 0;
  /** Snapshots restored before their experiment was defined (an API experiment loaded later). */
  private waiting = new Map<string, SnapshotState>();

  /** Adds or replaces an experiment; a replaced one starts afresh unless its definition is unchanged. */
  define(config: ExperimentConfig, section: ExperimentSection, source: ExperimentSource): void {
    const fingerprint = contentHash(section);
    const old = this.entries.get(config.id);
    if (old && old.fingerprint === fingerprint) {
      old.source = source;
      return;
    }
    const entry: Entry = {
      config,
      section,
      source,
      fingerprint,
      tracker: new ExperimentTracker(config),
      result: null,
      error: null,
      restoreError: null,
      reportedSrm: false,
      reportedVerdicts: new Map(),
    };
    const saved = this.waiting.get(config.id);
    if (saved) {
      this.waiting.delete(config.id);
      if (saved.fingerprint === fingerprint) this.tryRestore(entry, saved);
    }
    this.entries.set(config.id, entry);
    this.reroute();
  }

  /** Removes an experiment with its units, and any saved state waiting for it. */
  remove(id: string): boolean {
    this.waiting.delete(id);
    const found = this.entries.delete(id);
    if (found) this.reroute();
    return found;
  }

  get(id: string): ExperimentView | null {
    const e = this.entries.get(id);
    return e ? this.view(e) : null;
  }

  list(): ExperimentView[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  /** Definitions, results and event counts of every experiment as of the last evaluation, for the gauges. */
  readings(): Array<{
    config: ExperimentConfig;
    result: ExperimentResult | null;
    events: ExperimentView['events'];
    memoryBytes: number;
  }> {
    return [...this.entries.values()].map((e) => ({
      config: e.config,
      result: e.result,
      events: {
        exposures: Object.fromEntries(e.tracker.exposures),
        outcomes: Object.fromEntries(e.tracker.outcomes),
      },
      memoryBytes: e.tracker.units.byteLength,
    }));
  }

  inspect(event: Record<string, unknown>, ctx: InspectContext): Finding[] {
    const type = ctx.contract.contract.contract;
    const nowMs = ctx.now.getTime();
    let findings: Finding[] | null = null;
    const routes = this.exposureRoutes.get(type);
    if (routes) {
      for (const route of routes) {
        const id = valueAtKeys(event, route.keys);
        if (typeof id !== 'string') continue;
        const entry = route.ids.get(id);
        if (!entry) {
          this.unknownExperimentExposures++;
          continue;
        }
        const { result, arm } = entry.tracker.expose(event, ctx.envelope, nowMs);
        if (result === 'crossover' || result === 'unknown_arm') {
          findings ??= [];
          findings.push(this.exposureFinding(entry, ctx, result, arm));
        }
      }
    }
    const measuring = this.outcomeRoutes.get(type);
    if (measuring) for (const entry of measuring) entry.tracker.outcome(event, ctx.envelope, type, nowMs);
    return findings ?? [];
  }

  evaluate(now: Date): Finding[] {
    const findings: Finding[] = [];
    for (const entry of this.entries.values()) {
      const { tracker, config } = entry;
      tracker.sweep();
      if (!tracker.dirty && entry.result) continue;
      // One experiment's failure (a number no statistic can take) must not stop the others' evaluation.
      try {
        const result = judgeExperiment(config, tracker.moments(), tracker.units, now);
        entry.result = result;
        entry.error = null;
        findings.push(...this.changes(entry, result, now));
      } catch (err) {
        entry.error = `evaluation failed: ${(err as Error).message}`;
      }
    }
    return findings;
  }

  snapshot(): MonitorSnapshot[] {
    const out: MonitorSnapshot[] = [];
    for (const e of this.entries.values()) {
      const state: SnapshotState = {
        fingerprint: e.fingerprint,
        tracker: e.tracker.snapshot(),
        reportedSrm: e.reportedSrm,
        reportedVerdicts: Object.fromEntries(e.reportedVerdicts),
      };
      out.push({ contract: SNAPSHOT_PREFIX + e.config.id, state });
    }
    // Kept until their experiment is defined again, so a restart before that does not lose them.
    for (const [id, state] of this.waiting) out.push({ contract: SNAPSHOT_PREFIX + id, state });
    return out;
  }

  /**
   * Units and counts from before a restart. A snapshot of an experiment not
   * defined yet waits for `define`; one whose definition changed is dropped
   * and the experiment starts afresh.
   */
  restore(snapshots: readonly MonitorSnapshot[]): void {
    for (const s of snapshots) {
      if (!s.contract.startsWith(SNAPSHOT_PREFIX)) continue;
      const id = s.contract.slice(SNAPSHOT_PREFIX.length);
      const state = s.state as SnapshotState;
      const entry = this.entries.get(id);
      if (!entry) this.waiting.set(id, state);
      else if (entry.fingerprint === state.fingerprint) this.tryRestore(entry, state);
    }
  }

  /** A snapshot that does not fit (damaged, or of other arms) is dropped: the experiment starts afresh and says so. */
  private tryRestore(entry: Entry, state: SnapshotState): void {
    try {
      this.restoreEntry(entry, state);
    } catch (err) {
      entry.restoreError = `saved state not restored, counting afresh: ${(err as Error).message}`;
    }
  }

  private restoreEntry(entry: Entry, state: SnapshotState): void {
    entry.tracker = ExperimentTracker.restore(entry.config, state.tracker);
    entry.reportedSrm = state.reportedSrm;
    entry.reportedVerdicts = new Map(Object.entries(state.reportedVerdicts));
    entry.result = null;
    this.reroute();
  }

  private reroute(): void {
    const exposures = new Map<string, ExposureRoute[]>();
    const outcomes = new Map<string, Entry[]>();
    for (const entry of this.entries.values()) {
      const { eventType, experiment } = entry.config.exposure;
      const routes = exposures.get(eventType) ?? [];
      let route = routes.find((r) => r.pointer === experiment);
      if (!route) {
        route = { keys: pointerKeys(experiment), ids: new Map(), pointer: experiment };
        routes.push(route);
      }
      route.ids.set(entry.config.id, entry);
      exposures.set(eventType, routes);
      for (const m of new Set(entry.config.metrics.map((x) => x.eventType))) {
        outcomes.set(m, [...(outcomes.get(m) ?? []), entry]);
      }
    }
    this.exposureRoutes = exposures;
    this.outcomeRoutes = outcomes;
  }

  private exposureFinding(
    entry: Entry,
    ctx: InspectContext,
    result: 'crossover' | 'unknown_arm',
    arm: string | null,
  ): Finding {
    const id = entry.config.id;
    const base = {
      detector: HOLDOUT_DETECTOR,
      contract: ctx.contract.contract.contract,
      version: ctx.contract.contract.version,
      event_id: ctx.envelope.event_id,
      occurred_at: ctx.envelope.occurred_at,
    };
    if (result === 'crossover') {
      return makeFinding(
        {
          ...base,
          kind: 'arm_crossover',
          attribute: entry.config.exposure.arm,
          message: `experiment ${id}: a unit was exposed to a second arm; it is left out of the statistics`,
          evidence: { experiment: id },
        },
        ctx.now,
      );
    }
    const shown = arm === null ? null : safeToken(arm);
    return makeFinding(
      {
        ...base,
        kind: 'unknown_arm',
        attribute: entry.config.exposure.arm,
        message: `experiment ${id}: ${shown === null ? 'no arm' : `arm ${shown} is not one of its arms`} (${entry.config.arms.map((a) => a.name).join(', ')})`,
        evidence: { experiment: id, arm: shown },
      },
      ctx.now,
    );
  }

  /** Findings for what changed since the last report: a sample-ratio mismatch appearing, a lift turning clear. */
  private changes(entry: Entry, result: ExperimentResult, now: Date): Finding[] {
    const out: Finding[] = [];
    const id = entry.config.id;
    const base = {
      detector: HOLDOUT_DETECTOR,
      contract: entry.config.exposure.eventType,
      occurred_at: now.toISOString(),
    };
    if (result.srm.mismatch && !entry.reportedSrm) {
      const split = result.arms
        .map(
          (a) =>
            `${a.arm} ${((a.share ?? 0) * 100).toFixed(2)}% (expected ${(a.expectedShare * 100).toFixed(2)}%)`,
        )
        .join(', ');
      out.push(
        makeFinding(
          {
            ...base,
            kind: 'srm',
            message: `experiment ${id}: sample ratio mismatch, ${split}; chi-square p = ${result.srm.pValue.toExponential(2)}. Its numbers cannot be trusted`,
            evidence: {
              experiment: id,
              units: Object.fromEntries(result.arms.map((a) => [a.arm, a.units])),
              expected: Object.fromEntries(result.arms.map((a) => [a.arm, a.expectedShare])),
              p_value: result.srm.pValue,
              chi_square: result.srm.chiSquare,
              deviation: result.srm.deviation,
            },
          },
          now,
        ),
      );
    }
    entry.reportedSrm = result.srm.mismatch;
    for (const metric of result.metrics) {
      for (const c of metric.comparisons) {
        const key = `${metric.name}/${c.arm}`;
        const before = entry.reportedVerdicts.get(key);
        entry.reportedVerdicts.set(key, c.verdict);
        if (c.verdict === before || (c.verdict !== 'positive' && c.verdict !== 'negative')) continue;
        const lift = c.relative ?? c.absolute;
        const fmt = (x: number) => (c.relative ? `${(x * 100).toFixed(2)}%` : x.toPrecision(3));
        out.push(
          makeFinding(
            {
              ...base,
              kind: c.verdict === 'positive' ? 'lift_positive' : 'lift_negative',
              message: `experiment ${id}: ${metric.name} is ${c.verdict === 'positive' ? 'higher' : 'lower'} in ${c.arm} than in ${c.control} by ${fmt(lift.sequential.estimate)} (always-valid interval ${fmt(lift.sequential.lower)} to ${fmt(lift.sequential.upper)})`,
              evidence: {
                experiment: id,
                metric: metric.name,
                arm: c.arm,
                control: c.control,
                relative: c.relative?.sequential ?? null,
                absolute: c.absolute.sequential,
                fixed_horizon: c.absolute.fixed,
                units: Object.fromEntries(metric.arms.map((a) => [a.arm, a.units])),
                cuped: c.cuped,
              },
            },
            now,
          ),
        );
      }
    }
    return out;
  }

  private view(e: Entry): ExperimentView {
    return {
      id: e.config.id,
      description: e.config.description,
      source: e.source,
      definition: e.section,
      events: {
        exposures: Object.fromEntries(e.tracker.exposures),
        outcomes: Object.fromEntries(e.tracker.outcomes),
      },
      memory: { bytes: e.tracker.units.byteLength, outcomeEntries: e.tracker.units.outcomeEntries },
      result: e.result,
      error: [e.restoreError, e.error].filter(Boolean).join('; ') || null,
      reading: e.result ? readExperimentResult(e.config, e.result) : ['Not evaluated yet.'],
    };
  }
}

export function createHoldoutDetector(): HoldoutDetector {
  return new HoldoutDetector();
}
