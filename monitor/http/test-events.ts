import { randomUUID } from 'node:crypto';

/** Literal events valid under the shipped contracts, for the HTTP tests. */

export function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: randomUUID(),
    event_type: 'conversation.message',
    occurred_at: '2025-03-01T12:00:00.000Z',
    user_id: 'user-42',
    conversation_id: 'conv-7',
    channel: 'chat',
    turn: 1,
    speaker: 'customer',
    text: 'my parcel has not arrived',
    language: 'en',
    intent: 'delivery_status',
    intent_confidence: 0.9,
    sentiment: -0.2,
    ...overrides,
  };
}

export function started(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: randomUUID(),
    event_type: 'conversation.started',
    occurred_at: '2025-03-01T11:59:00.000Z',
    user_id: 'user-42',
    conversation_id: 'conv-7',
    channel: 'chat',
    entry_point: 'web_widget',
    locale: 'en-US',
    customer_tier: 'standard',
    ...overrides,
  };
}

/** A consent change: the purposes the user grants and denies at `at`. */
export function consentUpdated(
  user: string,
  at: string,
  granted: string[],
  denied: string[] = [],
): Record<string, unknown> {
  return {
    event_id: randomUUID(),
    event_type: 'consent.updated',
    schema_version: '1.1.0',
    occurred_at: at,
    user_id: user,
    channel: 'chat',
    purposes_granted: granted,
    purposes_denied: denied,
    gpc: false,
    consent_version: 'v3',
    source: 'banner',
  };
}

/** A value nested `depth` levels deep, built without recursion. */
export function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

export const ndjson = (...lines: unknown[]): string =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
