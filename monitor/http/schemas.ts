import { FINDING_KINDS, SEVERITIES } from '../findings/finding.js';
import { EVENT_OUTCOMES } from '../metrics/metrics.js';
import { COMPATIBILITY_MODES, CONTRACT_STATUSES } from '../registry/contract.js';

/*
 * JSON Schemas shared by the routes. Response schemas double as serializers
 * (fast-json-stringify drops what they do not name), so free-form objects
 * (evidence, contract schemas, redacted events) say additionalProperties: true.
 */

const nullableString = { type: ['string', 'null'] } as const;
const freeObject = { type: 'object', additionalProperties: true } as const;

/** `{error, message, details?}`: every error answer. */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['pointer', 'reason'],
        properties: { pointer: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
} as const;

export const FINDING_SCHEMA = {
  type: 'object',
  required: ['id', 'detector', 'kind', 'severity', 'message', 'count'],
  properties: {
    id: { type: 'string' },
    detector: { type: 'string' },
    kind: { type: 'string' },
    severity: { type: 'string' },
    contract: nullableString,
    version: nullableString,
    attribute: nullableString,
    event_id: nullableString,
    occurred_at: nullableString,
    detected_at: { type: 'string' },
    message: { type: 'string' },
    evidence: freeObject,
    count: { type: 'integer' },
  },
} as const;

/** A finding as stored: deduplicated per window, with first/last seen and sample event ids. */
export const STORED_FINDING_SCHEMA = {
  ...FINDING_SCHEMA,
  properties: {
    ...FINDING_SCHEMA.properties,
    window_start: { type: 'string' },
    first_seen: { type: 'string' },
    last_seen: { type: 'string' },
    sample_event_ids: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const EVENT_RESULT_SCHEMA = {
  type: 'object',
  required: ['event_id', 'status', 'findings'],
  properties: {
    event_id: nullableString,
    status: { type: 'string', enum: [...EVENT_OUTCOMES] },
    findings: { type: 'array', items: FINDING_SCHEMA },
  },
} as const;

export const BATCH_RESULT_SCHEMA = {
  type: 'object',
  required: ['accepted', 'rejected', 'results'],
  properties: {
    accepted: { type: 'integer' },
    rejected: { type: 'integer' },
    results: { type: 'array', items: EVENT_RESULT_SCHEMA },
    redacted: { type: 'array', items: { anyOf: [freeObject, { type: 'null' }] } },
  },
} as const;

const ENTITY_SPAN_SCHEMA = {
  type: 'object',
  required: ['entity', 'start', 'end', 'score'],
  properties: {
    entity: { type: 'string' },
    start: { type: 'integer' },
    end: { type: 'integer' },
    score: { type: 'number' },
    pointer: { type: 'string' },
  },
} as const;

/** POST /v1/redact: a redacted text or event, and where the entities were (offsets into the original). */
export const REDACT_RESULT_SCHEMA = {
  type: 'object',
  required: ['redacted', 'entities'],
  properties: {
    redacted: { anyOf: [{ type: 'string' }, freeObject] },
    entities: { type: 'array', items: ENTITY_SPAN_SCHEMA },
    contract: {
      anyOf: [
        { type: 'null' },
        { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' } } },
      ],
    },
  },
} as const;

export const CONTRACT_VERSION_SUMMARY_SCHEMA = {
  type: 'object',
  required: ['version', 'status', 'compatibility', 'owner'],
  properties: {
    version: { type: 'string' },
    status: { type: 'string', enum: [...CONTRACT_STATUSES] },
    compatibility: { type: 'string', enum: [...COMPATIBILITY_MODES] },
    owner: { type: 'string' },
  },
} as const;

export const CONTRACT_SUMMARY_SCHEMA = {
  type: 'object',
  required: ['name', 'versions', 'latest_active'],
  properties: {
    name: { type: 'string' },
    versions: { type: 'array', items: CONTRACT_VERSION_SUMMARY_SCHEMA },
    latest_active: nullableString,
  },
} as const;

export const CONTRACT_HISTORY_ENTRY_SCHEMA = {
  type: 'object',
  required: ['contract', 'version', 'status', 'hash', 'source', 'recorded_at'],
  properties: {
    contract: { type: 'string' },
    version: { type: 'string' },
    status: { type: 'string' },
    hash: { type: 'string' },
    source: { type: 'string' },
    recorded_at: { type: 'string' },
  },
} as const;

/** A contract document: the format is checked on the way in, so here it is passed through as is. */
export const CONTRACT_DOCUMENT_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  required: ['contract', 'version', 'status', 'schema'],
  properties: {
    contract: { type: 'string' },
    version: { type: 'string' },
    status: { type: 'string' },
    schema: freeObject,
  },
} as const;

const SCHEMA_CHANGE_SCHEMA = {
  type: 'object',
  required: ['pointer', 'change', 'detail', 'backward', 'forward'],
  properties: {
    pointer: { type: 'string' },
    change: { type: 'string' },
    detail: { type: 'string' },
    backward: { type: 'boolean' },
    forward: { type: 'boolean' },
    keyword: { type: 'string' },
  },
} as const;

/** What POST /v1/contracts answers: the version published and its compatibility report. */
export const PUBLISH_RESULT_SCHEMA = {
  type: 'object',
  required: ['contract', 'version', 'status', 'mode', 'compatible', 'changes', 'suggestedBump', 'actualBump'],
  properties: {
    contract: { type: 'string' },
    version: { type: 'string' },
    status: { type: 'string' },
    /** The declared compatibility the version was checked with. */
    mode: { type: 'string' },
    compatible: { type: 'boolean' },
    previous: { type: 'string' },
    /** Changes against the previous version. */
    changes: { type: 'array', items: SCHEMA_CHANGE_SCHEMA },
    suggestedBump: { type: 'string' },
    actualBump: { type: 'string' },
    against: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'changes', 'backward', 'forward'],
        properties: {
          version: { type: 'string' },
          changes: { type: 'array', items: SCHEMA_CHANGE_SCHEMA },
          backward: { type: 'boolean' },
          forward: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export const FINDINGS_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    detector: { type: 'string', minLength: 1, maxLength: 64 },
    kind: { type: 'string', enum: [...FINDING_KINDS] },
    contract: { type: 'string', minLength: 1, maxLength: 256 },
    severity: { type: 'string', enum: [...SEVERITIES] },
    since: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    cursor: { type: 'string', minLength: 1, maxLength: 512 },
  },
} as const;

export const FINDINGS_PAGE_SCHEMA = {
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: {
    items: { type: 'array', items: STORED_FINDING_SCHEMA },
    next_cursor: nullableString,
  },
} as const;

export const STATUS_SCHEMA = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

/** Error answers a route can give, keyed by status code. */
export function errorResponses(...codes: number[]): Record<number, typeof ERROR_SCHEMA> {
  return Object.fromEntries(codes.map((c) => [c, ERROR_SCHEMA]));
}
