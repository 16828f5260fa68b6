import { type Finding, makeFinding } from '../../monitor/findings/finding.js';
import { pointerKeys, valueAtKeys } from '../../monitor/findings/json-pointer.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import type { Detector, DetectorFactory } from '../detector.js';
import { SubWindows } from '../stats/sub-windows.js';

export const COMPLETENESS_DETECTOR = 'completeness';

export interface CompletenessConfig {
  /** Length of the sliding window, in seconds of event time. */
  windowSeconds: number;
  /** Sub-windows the window is made of (resolution of the slide). */
  subWindows: number;
  /** Fewer events than this in the window say nothing. */
  minEvents: number;
}

export const COMPLETENESS_DEFAULTS: CompletenessConfig = {
  windowSeconds: 300,
  subWindows: 10,
  minEvents: 50,
};

/** Per attribute of one contract version: events seen and events where it was present and non-null. */
interface Counts {
  total: number;
  present: number[];
}

interface Tracked {
  contract: string;
  version: string;
  pointers: string[];
  paths: string[][];
  minimums: number[];
  windows: SubWindows<Counts>;
  /** Per pointer: end (ms) of the window a drop was last reported for, so a lasting drop is reported once per window. */
  reportedUntil: number[];
}

/** The observed non-null share of each attribute, for gauges. */
export interface CompletenessReading {
  contract: string;
  version: string;
  attribute: string;
  share: number;
  events: number;
  minimum: number;
}

function present(event: Record<string, unknown>, keys: string[]): boolean {
  const v = valueAtKeys(event, keys);
  return v !== undefined && v !== null;
}

export interface CompletenessDetector extends Detector {
  /** Latest share per (contract, version, attribute) as of the last evaluate. */
  readings(): CompletenessReading[];
}

/**
 * Completeness: the non-null share of each attribute the contract lists
 * under `quality.completeness`, over a sliding window of event time, against
 * the declared minimum. Fires `completeness_drop` when the share falls below
 * it, at most once per window length while it stays below.
 */
export function createCompletenessDetector(config: Partial<CompletenessConfig> = {}): CompletenessDetector {
  const cfg = { ...COMPLETENESS_DEFAULTS, ...config };
  const windowMs = cfg.windowSeconds * 1000;
  const subMs = windowMs / cfg.subWindows;
  const tracked = new WeakMap<ResolvedContract, Tracked | null>();
  const all: Tracked[] = [];
  let latest: CompletenessReading[] = [];

  function plan(rc: ResolvedContract): Tracked | null {
    const rules = rc.contract.quality?.completeness;
    if (!rules || Object.keys(rules).length === 0) return null;
    const pointers = Object.keys(rules);
    const t: Tracked = {
      contract: rc.contract.contract,
      version: rc.contract.version,
      pointers,
      paths: pointers.map(pointerKeys),
      minimums: pointers.map((p) => rules[p] ?? 0),
      windows: new SubWindows(subMs, cfg.subWindows, () => ({ total: 0, present: pointers.map(() => 0) })),
      reportedUntil: pointers.map(() => Number.NEGATIVE_INFINITY),
    };
    all.push(t);
    return t;
  }

  return {
    name: COMPLETENESS_DETECTOR,
    kinds: [{ kind: 'completeness_drop', severity: 'warning' }],
    inspect(event, ctx) {
      let t = tracked.get(ctx.contract);
      if (t === undefined) {
        t = plan(ctx.contract);
        tracked.set(ctx.contract, t);
      }
      if (t === null) return [];
      const nowMs = ctx.now.getTime();
      // Event time, but a clock far ahead of ours must not push the window into the future.
      const ms = Math.min(ctx.envelope.occurred_ms ?? nowMs, nowMs + 60_000);
      const bucket = t.windows.at(ms);
      if (!bucket) return [];
      bucket.total++;
      for (let i = 0; i < t.paths.length; i++) if (present(event, t.paths[i]!)) bucket.present[i]!++;
      return [];
    },
    evaluate(now) {
      const nowMs = now.getTime();
      const out: Finding[] = [];
      const readings: CompletenessReading[] = [];
      for (const t of all) {
        const buckets = t.windows.window(nowMs);
        let total = 0;
        const present = t.pointers.map(() => 0);
        for (const b of buckets) {
          total += b.total;
          for (let i = 0; i < present.length; i++) present[i]! += b.present[i]!;
        }
        if (total === 0) continue;
        for (let i = 0; i < t.pointers.length; i++) {
          const share = present[i]! / total;
          const minimum = t.minimums[i]!;
          const attribute = t.pointers[i]!;
          readings.push({
            contract: t.contract,
            version: t.version,
            attribute,
            share,
            events: total,
            minimum,
          });
          if (total < cfg.minEvents || share >= minimum) {
            t.reportedUntil[i] = Number.NEGATIVE_INFINITY;
            continue;
          }
          if (nowMs < t.reportedUntil[i]!) continue;
          t.reportedUntil[i] = nowMs + windowMs;
          out.push(
            makeFinding(
              {
                detector: COMPLETENESS_DETECTOR,
                kind: 'completeness_drop',
                contract: t.contract,
                version: t.version,
                attribute,
                occurred_at: new Date(t.windows.windowStart(nowMs)).toISOString(),
                message: `attribute ${attribute} is present in ${(share * 100).toFixed(1)}% of events, below the contract's ${(minimum * 100).toFixed(1)}%`,
                evidence: {
                  observed_share: Number(share.toFixed(4)),
                  minimum,
                  events: total,
                  missing: total - present[i]!,
                  window_start: new Date(t.windows.windowStart(nowMs)).toISOString(),
                  window_end: now.toISOString(),
                },
              },
              now,
            ),
          );
        }
      }
      latest = readings;
      return out;
    },
    readings: () => latest,
  };
}

export const completenessDetectorFactory: DetectorFactory<Partial<CompletenessConfig>> = {
  name: COMPLETENESS_DETECTOR,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      windowSeconds: { type: 'number', exclusiveMinimum: 0, default: COMPLETENESS_DEFAULTS.windowSeconds },
      subWindows: { type: 'integer', minimum: 1, maximum: 1000, default: COMPLETENESS_DEFAULTS.subWindows },
      minEvents: { type: 'integer', minimum: 1, default: COMPLETENESS_DEFAULTS.minEvents },
    },
  },
  create: (config) => createCompletenessDetector(config),
};
