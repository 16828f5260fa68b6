import { type Finding, type FindingKind, makeFinding } from '../../monitor/findings/finding.js';
import { valueAtKeys, valueAtPointer } from '../../monitor/findings/json-pointer.js';
import { jsonType } from '../../monitor/findings/json-type.js';
import { safeToken } from '../../monitor/findings/safe-token.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import type { Detector, DetectorFactory } from '../detector.js';
import { mapAjvErrors } from '../schema/map-ajv-error.js';
import { type OpenObject, openObjects } from './open-objects.js';

export const SCHEMA_DRIFT_DETECTOR = 'schema_drift';

export interface SchemaDriftConfig {
  /** Sample event ids kept per drift. */
  samples: number;
  /** Distinct drifts tracked per window; more are counted under `overflow`. */
  maxTracked: number;
  /** Distinct observed types or values kept per drift. */
  maxObserved: number;
}

export const SCHEMA_DRIFT_DEFAULTS: SchemaDriftConfig = { samples: 5, maxTracked: 1000, maxObserved: 20 };

interface Drift {
  contract: string;
  version: string;
  kind: FindingKind;
  attribute: string;
  count: number;
  first_seen: string;
  last_seen: string;
  samples: string[];
  observed: Map<string, number>;
}

/**
 * Schema drift: what traffic carries that the contract lacks (attributes
 * outside open content models, types and enum values the contract does not
 * allow), counted per window with the first sample event ids. Per event it
 * only counts; each `evaluate` reports the drift seen since the last one and
 * starts a new window, so a burst of 10,000 drifting events is one finding
 * with count 10,000, not 10,000 findings.
 */
export function createSchemaDriftDetector(config: Partial<SchemaDriftConfig> = {}): Detector {
  const cfg = { ...SCHEMA_DRIFT_DEFAULTS, ...config };
  const plans = new WeakMap<ResolvedContract, OpenObject[]>();
  let drifts = new Map<string, Drift>();
  let overflow = 0;

  function record(
    contract: ResolvedContract,
    kind: FindingKind,
    attribute: string,
    observed: string,
    eventId: string | null,
    when: string,
  ): void {
    const { contract: name, version } = contract.contract;
    const key = `${name}\u0000${version}\u0000${kind}\u0000${attribute}`;
    let d = drifts.get(key);
    if (!d) {
      if (drifts.size >= cfg.maxTracked) {
        overflow++;
        return;
      }
      d = {
        contract: name,
        version,
        kind,
        attribute,
        count: 0,
        first_seen: when,
        last_seen: when,
        samples: [],
        observed: new Map(),
      };
      drifts.set(key, d);
    }
    d.count++;
    d.last_seen = when;
    if (eventId !== null && d.samples.length < cfg.samples) d.samples.push(eventId);
    if (d.observed.has(observed) || d.observed.size < cfg.maxObserved) {
      d.observed.set(observed, (d.observed.get(observed) ?? 0) + 1);
    }
  }

  return {
    name: SCHEMA_DRIFT_DETECTOR,
    kinds: [
      { kind: 'unknown_attribute', severity: 'warning' },
      { kind: 'type_mismatch', severity: 'warning' },
      { kind: 'enum_violation', severity: 'warning' },
    ],
    inspect(event, ctx) {
      const when = ctx.envelope.occurred_at ?? ctx.now.toISOString();
      const id = ctx.envelope.event_id;
      let plan = plans.get(ctx.contract);
      if (!plan) {
        plan = openObjects(ctx.contract.contract.schema);
        plans.set(ctx.contract, plan);
      }
      for (const obj of plan) {
        const value = obj.path.length === 0 ? event : valueAtKeys(event, obj.path);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
        for (const k in value) {
          if (obj.declared.has(k)) continue;
          const attribute = `${obj.pointer}/${safeToken(k)}`;
          record(
            ctx.contract,
            'unknown_attribute',
            attribute,
            jsonType((value as Record<string, unknown>)[k]),
            id,
            when,
          );
        }
      }
      if (ctx.validationErrors) {
        for (const p of mapAjvErrors(ctx.validationErrors, event)) {
          if (p.kind === 'type_mismatch') {
            record(ctx.contract, p.kind, p.attribute, String(p.evidence.actual), id, when);
          } else if (p.kind === 'enum_violation') {
            const v = valueAtPointer(event, p.instancePath);
            const shown = typeof v === 'string' ? safeToken(v) : jsonType(v);
            record(ctx.contract, p.kind, p.attribute, shown, id, when);
          } else if (p.kind === 'unknown_attribute') {
            record(ctx.contract, p.kind, p.attribute, 'closed_model', id, when);
          }
        }
      }
      return [];
    },
    evaluate(now) {
      const out: Finding[] = [];
      for (const d of drifts.values()) {
        const observed = Object.fromEntries([...d.observed].sort((a, b) => b[1] - a[1]));
        const what =
          d.kind === 'unknown_attribute'
            ? `attribute ${d.attribute} is not in the contract`
            : d.kind === 'type_mismatch'
              ? `attribute ${d.attribute} arrives with types the contract lacks`
              : `attribute ${d.attribute} arrives with values the contract lacks`;
        out.push(
          makeFinding(
            {
              detector: SCHEMA_DRIFT_DETECTOR,
              kind: d.kind,
              severity: 'warning',
              contract: d.contract,
              version: d.version,
              attribute: d.attribute,
              occurred_at: d.first_seen,
              message: `schema drift: ${what} (${d.count} events in the window)`,
              evidence: {
                observed,
                sample_event_ids: d.samples,
                first_seen: d.first_seen,
                last_seen: d.last_seen,
                ...(overflow > 0 ? { untracked_drift_events: overflow } : {}),
              },
              count: d.count,
            },
            now,
          ),
        );
      }
      drifts = new Map();
      overflow = 0;
      return out;
    },
  };
}

export const schemaDriftDetectorFactory: DetectorFactory<Partial<SchemaDriftConfig>> = {
  name: SCHEMA_DRIFT_DETECTOR,
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      samples: { type: 'integer', minimum: 0, maximum: 100, default: SCHEMA_DRIFT_DEFAULTS.samples },
      maxTracked: { type: 'integer', minimum: 1, default: SCHEMA_DRIFT_DEFAULTS.maxTracked },
      maxObserved: { type: 'integer', minimum: 1, default: SCHEMA_DRIFT_DEFAULTS.maxObserved },
    },
  },
  create: (config) => createSchemaDriftDetector(config),
};
