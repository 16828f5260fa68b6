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
  /** Event time, RFC 3339 as sent; windows and consent use it. */
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

export function readEnvelope(
  event: ConversationEvent,
  fields: EnvelopeFields = DEFAULT_ENVELOPE_FIELDS,
): Envelope {
  const occurred_at = str(event[fields.occurred_at]);
  const ms = occurred_at === null ? Number.NaN : Date.parse(occurred_at);
  return {
    event_id: str(event[fields.event_id]),
    event_type: str(event[fields.event_type]),
    schema_version: str(event[fields.schema_version]),
    occurred_at,
    occurred_ms: Number.isNaN(ms) ? null : ms,
    user_id: str(event[fields.user_id]),
    conversation_id: str(event[fields.conversation_id]),
    channel: str(event[fields.channel]),
  };
}
