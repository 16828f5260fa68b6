import type { Contract } from '../registry/contract.js';

/** Literal contracts for pipeline and detector tests: one closed content model, one open. */
export const MESSAGE_V1: Contract = {
  contract: 'test.message',
  version: '1.0.0',
  status: 'deprecated',
  owner: 'team@example.com',
  compatibility: 'backward',
  purposes: ['analytics'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['event_id', 'event_type', 'occurred_at', 'text', 'speaker'],
    properties: {
      event_id: { type: 'string', format: 'uuid' },
      event_type: { const: 'test.message' },
      schema_version: { type: 'string' },
      occurred_at: { type: 'string', format: 'date-time' },
      user_id: { type: 'string' },
      text: { type: 'string', maxLength: 1000 },
      speaker: { enum: ['customer', 'agent', 'bot'] },
      sentiment: { type: ['number', 'null'], minimum: -1, maximum: 1 },
    },
  },
  attributes: { '/text': { pii: 'free_text', redact: 'mask' }, '/user_id': { redact: 'hash' } },
  quality: { completeness: { '/sentiment': 0.9 } },
};

export const MESSAGE_V2: Contract = {
  ...MESSAGE_V1,
  version: '1.1.0',
  status: 'active',
  schema: {
    ...MESSAGE_V1.schema,
    properties: {
      ...(MESSAGE_V1.schema.properties as object),
      intent: { type: 'string' },
      contact: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
    },
  },
};

export const STARTED_OPEN: Contract = {
  contract: 'test.started',
  version: '1.0.0',
  status: 'active',
  owner: 'team@example.com',
  compatibility: 'backward',
  purposes: [],
  schema: {
    type: 'object',
    required: ['event_id', 'event_type'],
    properties: {
      event_id: { type: 'string' },
      event_type: { const: 'test.started' },
      occurred_at: { type: 'string', format: 'date-time' },
      channel: { enum: ['chat', 'voice'] },
    },
  },
  attributes: {},
};

export const RETIRED: Contract = { ...STARTED_OPEN, contract: 'test.retired', status: 'retired' };

let n = 0;
/** A valid test.message event, with overrides. */
export function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    event_type: 'test.message',
    occurred_at: '2026-11-01T10:00:00Z',
    user_id: 'u-1',
    text: 'hello there',
    speaker: 'customer',
    sentiment: 0.2,
    ...overrides,
  };
}
