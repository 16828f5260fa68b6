/**
 * What the generator knows about the shipped contracts (contracts/), kept as
 * plain data so that injecting a fault needs no JSON Schema work per event.
 * catalog.test.ts checks every entry against the contract files, so an edit
 * to a contract that the generator does not follow fails a test.
 */

export const EVENT_TYPES = [
  'conversation.started',
  'conversation.message',
  'conversation.ended',
  'intent.label',
  'consent.updated',
  'experiment.exposure',
  'conversion',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The envelope attributes; faults that name a content attribute never touch these. */
export const ENVELOPE_KEYS = [
  'event_id',
  'event_type',
  'schema_version',
  'occurred_at',
  'user_id',
  'conversation_id',
  'channel',
] as const;

export interface ContractShape {
  /** Version the generator writes events for (the latest active one). */
  active: string;
  /** Earlier version, deprecated; events can be downgraded to it. */
  deprecated: string;
  /** additionalProperties: false at the top level. */
  closed: boolean;
  /** Content (non-envelope) attributes required by both versions. */
  required: readonly string[];
  /** Attributes always present in generated events, and the JSON type to put there instead. */
  mismatch: ReadonlyArray<{ key: string; wrong: 'string' | 'number' }>;
  /** Enum attributes always present in generated events, with values neither version allows. */
  enums: ReadonlyArray<{ key: string; bad: readonly string[] }>;
  /** Attributes under quality.completeness of the active version; nullable ones are set to null, others omitted. */
  completeness: ReadonlyArray<{ key: string; nullable: boolean }>;
  /** Attributes the active version added: dropped when downgrading. */
  added: readonly string[];
  /** Enum values the active version added, mapped to a value the deprecated version knows. */
  widened: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Free-text attributes, where a customer may type personal data. */
  freeText: readonly string[];
}

export const CATALOG: Record<EventType, ContractShape> = {
  'conversation.started': {
    active: '1.1.0',
    deprecated: '1.0.0',
    closed: false,
    required: ['entry_point'],
    mismatch: [{ key: 'prior_conversations', wrong: 'string' }],
    enums: [
      { key: 'entry_point', bad: ['kiosk', 'store_visit'] },
      { key: 'customer_tier', bad: ['gold', 'vip'] },
    ],
    completeness: [
      { key: 'locale', nullable: false },
      { key: 'customer_tier', nullable: true },
    ],
    added: [],
    widened: {
      customer_tier: { enterprise: 'premium' },
      entry_point: { in_app_voice: 'mobile_app' },
    },
    freeText: [],
  },
  'conversation.message': {
    active: '1.1.0',
    deprecated: '1.0.0',
    closed: true,
    required: ['turn', 'speaker', 'text', 'language'],
    mismatch: [
      { key: 'intent_confidence', wrong: 'string' },
      { key: 'turn', wrong: 'string' },
    ],
    enums: [{ key: 'speaker', bad: ['system', 'supervisor'] }],
    completeness: [
      { key: 'sentiment', nullable: true },
      { key: 'intent', nullable: true },
    ],
    added: ['embedding', 'model_version'],
    widened: {},
    freeText: ['text'],
  },
  'conversation.ended': {
    active: '1.1.0',
    deprecated: '1.0.0',
    closed: true,
    required: ['resolution', 'handle_time_seconds', 'escalated'],
    mismatch: [
      { key: 'handle_time_seconds', wrong: 'string' },
      { key: 'escalated', wrong: 'string' },
    ],
    enums: [{ key: 'resolution', bad: ['pending', 'closed'] }],
    completeness: [{ key: 'disposition', nullable: true }],
    added: ['wait_seconds', 'csat'],
    widened: { resolution: { transferred: 'unresolved' } },
    freeText: [],
  },
  'intent.label': {
    active: '1.1.0',
    deprecated: '1.0.0',
    closed: true,
    required: ['message_id', 'intent', 'labeler'],
    mismatch: [{ key: 'labeler', wrong: 'number' }],
    enums: [{ key: 'label_source', bad: ['crowdsourced', 'heuristic'] }],
    completeness: [{ key: 'corrected_from', nullable: true }],
    added: ['label_source'],
    widened: {},
    freeText: [],
  },
  'consent.updated': {
    active: '1.1.0',
    deprecated: '1.0.0',
    closed: true,
    required: ['purposes_granted', 'purposes_denied', 'gpc', 'source'],
    mismatch: [{ key: 'gpc', wrong: 'string' }],
    enums: [{ key: 'source', bad: ['popup', 'email_link'] }],
    completeness: [{ key: 'consent_version', nullable: false }],
    added: ['consent_mode', 'expires_at'],
    widened: { source: { import: 'api' } },
    freeText: [],
  },
  'experiment.exposure': {
    active: '1.1.0',
    deprecated: '1.0.0',
    closed: true,
    required: ['experiment_id', 'arm', 'unit_id', 'unit_type'],
    mismatch: [{ key: 'arm', wrong: 'number' }],
    enums: [{ key: 'unit_type', bad: ['device', 'account'] }],
    completeness: [{ key: 'surface', nullable: false }],
    added: ['surface'],
    widened: {},
    freeText: [],
  },
  conversion: {
    active: '1.1.0',
    deprecated: '1.0.0',
    closed: true,
    required: ['conversion_type', 'value', 'currency'],
    mismatch: [{ key: 'value', wrong: 'string' }],
    enums: [{ key: 'conversion_type', bad: ['donation', 'trial'] }],
    completeness: [{ key: 'order_id', nullable: true }],
    added: ['experiment_id', 'arm'],
    widened: { conversion_type: { reactivation: 'purchase' } },
    freeText: [],
  },
};

/** Rewrites an event, in place, into the shape of its deprecated version. */
export function downgrade(type: EventType, event: Record<string, unknown>): void {
  const shape = CATALOG[type];
  for (const key of shape.added) delete event[key];
  for (const [key, map] of Object.entries(shape.widened)) {
    const v = event[key];
    if (typeof v === 'string' && map[v] !== undefined) event[key] = map[v];
  }
}
