import { completenessDetectorFactory } from '../../detectors/completeness/completeness-detector.js';
import { CONSENT_POLICY_SCHEMA } from '../../detectors/consent/consent-policy.js';
import { piiDetectorFactory } from '../../detectors/pii/pii-detector.js';
import { schemaDriftDetectorFactory } from '../../detectors/schema-drift/schema-drift-detector.js';
import { AUTH_SCHEMA } from '../http/auth/auth-config.js';
import { SHEDDING_DEFAULTS } from '../http/load-shedding.js';
import { DEFAULT_ENVELOPE_FIELDS } from '../pipeline/envelope.js';

/**
 * The JSON Schema of earshot's configuration: every default in one place.
 * A config file that breaks it is refused with the YAML key and the reason.
 */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', default: '0.0.0.0' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
        bodyLimitBytes: { type: 'integer', minimum: 1024, default: 5 * 1024 * 1024 },
        maxBatch: { type: 'integer', minimum: 1, default: 5000 },
        /** Load shedding of the ingest routes (monitor/http/load-shedding.ts); 0 turns a check off. */
        shedding: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            maxEventLoopDelayMs: {
              type: 'number',
              minimum: 0,
              default: SHEDDING_DEFAULTS.maxEventLoopDelayMs,
            },
            maxEventLoopUtilization: {
              type: 'number',
              minimum: 0,
              maximum: 1,
              default: SHEDDING_DEFAULTS.maxEventLoopUtilization,
            },
            maxHeapUsedBytes: { type: 'integer', minimum: 0, default: SHEDDING_DEFAULTS.maxHeapUsedBytes },
            maxRssBytes: { type: 'integer', minimum: 0, default: SHEDDING_DEFAULTS.maxRssBytes },
            retryAfterSeconds: { type: 'integer', minimum: 1, default: SHEDDING_DEFAULTS.retryAfterSeconds },
            sampleIntervalMs: { type: 'integer', minimum: 50, default: SHEDDING_DEFAULTS.sampleIntervalMs },
          },
        },
      },
    },
    contracts: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        /** Folder of contracts/<event_type>/<version>.yaml; relative to the working directory. Null = the shipped ones. */
        dir: { type: ['string', 'null'], default: null },
      },
    },
    store: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        /** PostgreSQL URL; null = embedded PGlite in dataDir. DATABASE_URL overrides. */
        url: { type: ['string', 'null'], default: null },
        dataDir: { type: 'string', default: '.earshot-data' },
        flushIntervalMs: { type: 'integer', minimum: 10, default: 1000 },
        windowSeconds: { type: 'integer', minimum: 1, default: 60 },
        maxQueue: { type: 'integer', minimum: 1, default: 100_000 },
        /** Written units and stream events are remembered this long, to recognise a replay or redelivery. */
        writeLogHours: { type: 'integer', minimum: 1, default: 168 },
        /** Where writes go while the store fails: an fsync'd local file, replayed in order. */
        spool: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            enabled: { type: 'boolean', default: true },
            /** Null: <dataDir>/spool. One process per directory. */
            dir: { type: ['string', 'null'], default: null },
            maxBytes: { type: 'integer', minimum: 65_536, default: 1_073_741_824 },
          },
        },
      },
    },
    sources: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        /** Events from a NATS JetStream stream through a durable pull consumer every replica shares. */
        nats: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            enabled: { type: 'boolean', default: false },
            servers: {
              oneOf: [
                { type: 'string', minLength: 1 },
                { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
              ],
              default: 'nats://127.0.0.1:4222',
            },
            stream: { type: 'string', minLength: 1, default: 'EARSHOT_EVENTS' },
            subject: { type: 'string', minLength: 1, default: 'earshot.events.>' },
            consumer: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_-]+$', default: 'earshot' },
            createStream: { type: 'boolean', default: false },
            batch: { type: 'integer', minimum: 1, maximum: 10_000, default: 500 },
            fetchExpiresMs: { type: 'integer', minimum: 1000, default: 1000 },
            ackWaitSeconds: { type: 'integer', minimum: 1, default: 30 },
            maxDeliver: { type: 'integer', minimum: -1, default: -1 },
            /** How long an event id is remembered to skip a redelivery or a producer's repeat. */
            dedupMinutes: { type: 'integer', minimum: 1, default: 120 },
          },
        },
      },
    },
    envelope: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: Object.fromEntries(
        Object.entries(DEFAULT_ENVELOPE_FIELDS).map(([k, v]) => [
          k,
          { type: 'string', minLength: 1, default: v },
        ]),
      ),
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxDepth: { type: 'integer', minimum: 1, default: 32 },
        maxStringLength: { type: 'integer', minimum: 1, default: 65_536 },
        maxNodes: { type: 'integer', minimum: 1, default: 10_000 },
        maxArrayLength: { type: 'integer', minimum: 1, default: 4_096 },
      },
    },
    evaluateIntervalSeconds: { type: 'number', exclusiveMinimum: 0, default: 10 },
    /** How often windowed monitors' state is written to the store (also at shutdown). */
    snapshotIntervalSeconds: { type: 'number', exclusiveMinimum: 0, default: 300 },
    privacy: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        /** Salt for hashes in findings; set it so hashes agree across restarts and replicas. */
        hashSalt: { type: ['string', 'null'], default: null },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
      },
    },
    /** API keys and roles (monitor/http/auth); off by default. */
    auth: AUTH_SCHEMA,
    /** Holdout experiments (detectors/holdout/experiment-config.ts); each is checked by parseExperiment. */
    experiments: { type: 'array', default: [], maxItems: 100, items: { type: 'object' } },
    detectors: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        schema_drift: { ...schemaDriftDetectorFactory.configSchema, default: {} },
        completeness: { ...completenessDetectorFactory.configSchema, default: {} },
        pii: { ...piiDetectorFactory.configSchema, default: {} },
        consent: { ...CONSENT_POLICY_SCHEMA, default: {} },
      },
    },
  },
} as const;
