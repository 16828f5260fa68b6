/**
 * The event envelope: the few fields every event carries whatever its
 * contract. Names are configurable so earshot fits producers that already
 * use other names.
 */

export interface EnvelopeFields {
  event_id: string;
  event_type: string;
  schema_version: string;
  occurred_at: string;
  user_id: string;
  conversation_id: string;
  channel: string;
}

export const DEFAULT_ENVELOPE_FIELDS: EnvelopeFields = {
  event_id: 'event_id',
  event_type: 'event_type',
  schema_version: 'schema_version',
  occurred_at: 'occurred_at',
  user_id: 'user_id',
  conversation_id: 'conversation_id',
  channel: 'channel',
};

export interface Envelope {
  event_id: string | null;
  event_type: string | null;
  schema_version: string | null;
  /** Event time as RFC 3339 in UTC, or null when absent or unparsable; windows and consent use it. */
  occurred_at: string | null;
  /** Event time in ms since the epoch, or null when absent or unparsable. */
  occurred_ms: number | null;
  user_id: string | null;
  conversation_id: string | null;
  channel: string | null;
}

export type ConversationEvent = Record<string, unknown>;

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

// Timestamps in this shape are kept as sent (cheap on the hot path); anything else Date.parse accepts is rewritten.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function readEnvelope(
  event: ConversationEvent,
  fields: EnvelopeFields = DEFAULT_ENVELOPE_FIELDS,
): Envelope {
  const raw = str(event[fields.occurred_at]);
  const ms = raw === null ? Number.NaN : Date.parse(raw);
  const valid = !Number.isNaN(ms);
  return {
    event_id: str(event[fields.event_id]),
    event_type: str(event[fields.event_type]),
    schema_version: str(event[fields.schema_version]),
    // Normalised, never the raw text: a junk occurred_at could carry personal data into findings.
    occurred_at: !valid ? null : RFC3339.test(raw!) ? raw : new Date(ms).toISOString(),
    occurred_ms: valid ? ms : null,
    user_id: str(event[fields.user_id]),
    conversation_id: str(event[fields.conversation_id]),
    channel: str(event[fields.channel]),
  };
}
