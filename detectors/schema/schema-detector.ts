import { type FindingKind, makeFinding, type Severity } from '../../monitor/findings/finding.js';
import type { Detector, DetectorFactory } from '../detector.js';
import { mapAjvErrors } from './map-ajv-error.js';

export const SCHEMA_DETECTOR = 'schema';

/**
 * Kinds the schema detector reports. The first five come from resolving the
 * contract version (done by the pipeline before any detector runs); the rest
 * from validating the event. `unknown_attribute` here means a closed content
 * model refused an attribute, so it is a violation; in open models the
 * schema_drift detector reports it as drift instead.
 */
export const SCHEMA_KINDS: ReadonlyArray<{ kind: FindingKind; severity: Severity }> = [
  { kind: 'malformed', severity: 'error' },
  { kind: 'unknown_contract', severity: 'error' },
  { kind: 'unknown_version', severity: 'error' },
  { kind: 'retired_version', severity: 'error' },
  { kind: 'deprecated_version', severity: 'warning' },
  { kind: 'missing_required', severity: 'error' },
  { kind: 'type_mismatch', severity: 'error' },
  { kind: 'enum_violation', severity: 'error' },
  { kind: 'format_violation', severity: 'error' },
  { kind: 'constraint_violation', severity: 'error' },
  { kind: 'unknown_attribute', severity: 'error' },
];

export type SchemaDetectorConfig = Record<string, never>;

/** Turns the validator's errors into one finding per problem, each with its JSON pointer. */
export function createSchemaDetector(): Detector {
  return {
    name: SCHEMA_DETECTOR,
    kinds: SCHEMA_KINDS,
    inspect(event, ctx) {
      if (!ctx.validationErrors) return [];
      const { contract, version } = ctx.contract.contract;
      return mapAjvErrors(ctx.validationErrors, event).map((p) =>
        makeFinding(
          {
            detector: SCHEMA_DETECTOR,
            kind: p.kind,
            severity: p.kind === 'unknown_attribute' ? 'error' : undefined,
            contract,
            version,
            attribute: p.attribute,
            event_id: ctx.envelope.event_id,
            occurred_at: ctx.envelope.occurred_at,
            message: p.message,
            evidence: p.evidence,
          },
          ctx.now,
        ),
      );
    },
  };
}

export const schemaDetectorFactory: DetectorFactory<SchemaDetectorConfig> = {
  name: SCHEMA_DETECTOR,
  configSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => createSchemaDetector(),
};
