import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConversationEvent,
  DEFAULT_ENVELOPE_FIELDS,
  type Envelope,
  type EnvelopeFields,
  readEnvelope,
} from '../../monitor/pipeline/envelope.js';

const SEED = 20_260_301;
const FIELDS = Object.keys(DEFAULT_ENVELOPE_FIELDS) as Array<keyof EnvelopeFields>;
const STRING_FIELDS = [
  'event_id',
  'event_type',
  'schema_version',
  'user_id',
  'conversation_id',
  'channel',
] as const;

/** Timestamps near the shapes producers send: valid, off by a field, other formats, numbers. */
const timestampArb = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom('Z', '+00:00', '-05:30', '+14:00', '+99:99', ''),
    )
    .map(([y, mo, d, h, mi, tz]) => {
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(mi)}${tz}`;
    }),
  fc.constantFrom('2026-03-01', 'Sun, 01 Mar 2026 10:00:00 GMT', 'yesterday', '20000', '-1', '1e21', ''),
  fc.string(),
  fc.integer(),
  fc.double(),
);

/** Values of every JSON and non-JSON type, and the timestamp shapes above. */
const valueArb = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }),
  fc.jsonValue(),
  timestampArb,
);

/** Objects holding some of the envelope keys with values of any type, among random keys. */
const eventArb: fc.Arbitrary<ConversationEvent> = fc
  .tuple(
    fc.dictionary(fc.string(), valueArb, { maxKeys: 6 }),
    fc.record(
      Object.fromEntries(FIELDS.map((f) => [f, valueArb])) as Record<keyof EnvelopeFields, typeof valueArb>,
      { requiredKeys: [] },
    ),
  )
  .map(([random, envelope]) => ({ ...random, ...envelope }));

function checkEnvelope(env: Envelope): void {
  expect(Object.keys(env).sort()).toEqual([...FIELDS, 'occurred_ms'].sort());
  for (const f of STRING_FIELDS) expect(env[f] === null || typeof env[f] === 'string').toBe(true);
  if (env.occurred_ms === null) {
    expect(env.occurred_at).toBeNull();
  } else {
    expect(Number.isFinite(env.occurred_ms)).toBe(true);
    expect(typeof env.occurred_at).toBe('string');
    // The text and the number name the same instant.
    expect(Date.parse(env.occurred_at!)).toBe(env.occurred_ms);
  }
}

describe('readEnvelope on arbitrary input', () => {
  it('never throws on objects with envelope keys of any type; fields are strings or null', () => {
    fc.assert(
      fc.property(eventArb, (event) => checkEnvelope(readEnvelope(event))),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('never throws on parsed JSON objects', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v)),
        (value) => {
          // Through JSON text, as the HTTP body parser gives it (own __proto__ keys included).
          const event = JSON.parse(JSON.stringify(value)) as ConversationEvent;
          checkEnvelope(readEnvelope(event));
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('never throws with configured field names, inherited names included', () => {
    const nameArb = fc.oneof(
      fc.string(),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'length', ''),
    );
    const fieldsArb = fc.record(
      Object.fromEntries(FIELDS.map((f) => [f, nameArb])) as Record<keyof EnvelopeFields, typeof nameArb>,
    );
    fc.assert(
      fc.property(eventArb, fieldsArb, (event, fields) => checkEnvelope(readEnvelope(event, fields))),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('reads an occurred_at that parses to the same instant it names', () => {
    fc.assert(
      fc.property(timestampArb, (occurred_at) => {
        const env = readEnvelope({ occurred_at });
        checkEnvelope(env);
        if (env.occurred_at !== null) expect(env.occurred_at.length).toBeLessThanOrEqual(40);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
