import { CALIBRATION_MONITOR_SCHEMA } from '../../detectors/calibration/calibration-config.js';
import { DISTRIBUTION_MONITOR_SCHEMA } from '../../detectors/distribution/distribution-config.js';
import { EMBEDDING_MONITOR_SCHEMA } from '../../detectors/embedding/embedding-config.js';
import { COMPATIBILITY_MODES, CONTRACT_STATUSES, REDACT_OPERATORS } from './contract.js';

/**
 * The JSON Schema of the contract file format itself. A contract that breaks
 * it is refused with the JSON pointer and the reason.
 */
export const CONTRACT_FORMAT_SCHEMA = {
  $id: 'https://earshot.dev/schemas/contract.json',
  type: 'object',
  additionalProperties: false,
  required: ['contract', 'version', 'status', 'owner', 'schema'],
  properties: {
    contract: { type: 'string', pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$', maxLength: 128 },
    version: {
      type: 'string',
      pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?$',
    },
    status: { enum: [...CONTRACT_STATUSES] },
    owner: { type: 'string', minLength: 1 },
    compatibility: { enum: [...COMPATIBILITY_MODES], default: 'backward' },
    description: { type: 'string' },
    purposes: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, default: [] },
    schema: {
      type: 'object',
      required: ['type'],
      properties: { type: { const: 'object' } },
    },
    attributes: {
      type: 'object',
      default: {},
      propertyNames: { pattern: '^(/[^/]*)+$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          pii: { type: 'string' },
          redact: {
            oneOf: [
              { enum: REDACT_OPERATORS },
              {
                type: 'object',
                propertyNames: { pattern: '^(default|[A-Z][A-Z0-9_]*)$' },
                additionalProperties: { enum: REDACT_OPERATORS },
              },
            ],
          },
          requires_consent: { type: 'array', items: { type: 'string' }, uniqueItems: true },
          declared: { type: 'boolean' },
          description: { type: 'string' },
        },
      },
    },
    quality: {
      type: 'object',
      additionalProperties: false,
      properties: {
        completeness: {
          type: 'object',
          propertyNames: { pattern: '^(/[^/]*)+$' },
          additionalProperties: { type: 'number', minimum: 0, maximum: 1 },
        },
      },
    },
    monitors: {
      type: 'object',
      // A misspelt section would otherwise load and quietly monitor nothing.
      additionalProperties: false,
      properties: {
        distribution: DISTRIBUTION_MONITOR_SCHEMA,
        calibration: CALIBRATION_MONITOR_SCHEMA,
        embedding_drift: EMBEDDING_MONITOR_SCHEMA,
      },
    },
  },
} as const;
