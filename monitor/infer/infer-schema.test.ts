import { describe, expect, it } from 'vitest';
import { createAjv } from '../registry/ajv.js';
import { inferSchema, JSON_SCHEMA_2020_12, SchemaAccumulator } from './infer-schema.js';

type Props = Record<string, Record<string, unknown>>;
const props = (schema: Record<string, unknown>) => schema.properties as Props;

function validatesAll(schema: Record<string, unknown>, events: Record<string, unknown>[]): void {
  const validate = createAjv().compile(schema);
  for (const e of events) {
    expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
  }
}

const turns = [
  { turn: 0, score: 0.5, sentiment: null, lang: 'en', outcome: 'resolved', tags: ['vip'] },
  { turn: 1, score: 1, sentiment: 0.2, lang: 'en', outcome: 'resolved', tags: [] },
  { turn: 2, score: 0.25, sentiment: -0.4, lang: 'de', outcome: 'escalated', tags: ['vip', 'late'] },
  { turn: 3, score: 0.75, sentiment: 0.9, lang: 'en', outcome: 'resolved' },
  { turn: 4, score: 0, sentiment: null, lang: 'de', outcome: 'escalated', tags: ['late'] },
  { turn: 5, score: 0.1, sentiment: 0.1, lang: 'en', outcome: 'resolved', tags: [] },
];

describe('inferSchema', () => {
  it('types each attribute: integer vs number, null when seen, required when never missing', () => {
    const schema = inferSchema(turns);
    expect(schema.$schema).toBe(JSON_SCHEMA_2020_12);
    expect(schema.type).toBe('object');
    const p = props(schema);
    expect(p.turn).toEqual({ type: 'integer', minimum: 0 });
    expect(p.score).toEqual({ type: 'number' });
    expect(p.sentiment).toEqual({ type: ['number', 'null'] });
    expect(p.tags?.type).toBe('array');
    expect(schema.required).toEqual(['turn', 'score', 'sentiment', 'lang', 'outcome']);
    expect(schema.additionalProperties).toBe(false);
    validatesAll(schema, turns);
  });

  it('makes enums of low-cardinality strings, each value seen at least twice', () => {
    const p = props(inferSchema(turns));
    expect(p.lang).toEqual({ type: 'string', enum: ['de', 'en'] });
    expect(p.outcome).toEqual({ type: 'string', enum: ['escalated', 'resolved'] });
    // every tag seen twice, but 2 distinct values in 4 samples is not well below one per sample
    expect((p.tags!.items as Record<string, unknown>).enum).toBeUndefined();
  });

  it('leaves strings open when a value was seen once or there are too many values', () => {
    const once = [...turns, { ...turns[0], lang: 'fr' }];
    expect(props(inferSchema(once)).lang).toEqual({ type: 'string' });
    const twelve = Array.from({ length: 60 }, (_, i) => ({ code: `c${i % 13}` }));
    expect(props(inferSchema(twelve)).code).toEqual({ type: 'string' });
    expect(props(inferSchema(twelve, { enumMaxValues: 13 })).code?.enum).toHaveLength(13);
  });

  it('keeps null in an enum of a nullable attribute', () => {
    const events = [{ a: 'x' }, { a: 'x' }, { a: 'y' }, { a: 'y' }, { a: null }, { a: 'x' }, { a: 'y' }];
    const schema = inferSchema(events);
    expect(props(schema).a).toEqual({ type: ['string', 'null'], enum: ['x', 'y', null] });
    validatesAll(schema, events);
  });

  it('declares a format only when every sample matches it', () => {
    const events = [
      { at: '2024-05-01T09:30:00Z', day: '2024-05-01', ip: '10.1.2.3', url: 'https://a.example/x' },
      { at: '2024-05-01T09:31:00.5+02:00', day: '2024-05-02', ip: '10.1.2.4', url: 'not a url' },
    ];
    const p = props(inferSchema(events));
    expect(p.at).toEqual({ type: 'string', format: 'date-time' });
    expect(p.day).toEqual({ type: 'string', format: 'date' });
    expect(p.ip).toEqual({ type: 'string', format: 'ipv4' });
    expect(p.url).toEqual({ type: 'string' });
  });

  it('recurses into nested objects, closed by default, open on request', () => {
    const events = [
      { customer: { tier: 'gold', visits: 3 } },
      { customer: { tier: 'gold', visits: 5, vip: true } },
    ];
    const closed = inferSchema(events);
    expect(props(closed).customer).toEqual({
      type: 'object',
      properties: {
        tier: { type: 'string' },
        visits: { type: 'integer', minimum: 0 },
        vip: { type: 'boolean' },
      },
      required: ['tier', 'visits'],
      additionalProperties: false,
    });
    const open = inferSchema(events, { additionalProperties: true });
    expect(open.additionalProperties).toBeUndefined();
    expect(props(open).customer?.additionalProperties).toBeUndefined();
    validatesAll(closed, events);
  });

  it('infers array items, objects inside arrays included', () => {
    const events = [
      { parts: [{ kind: 'text', chars: 12 }, { kind: 'image' }] },
      { parts: [{ kind: 'text', chars: 3 }] },
    ];
    const schema = inferSchema(events);
    expect(props(schema).parts).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: { kind: { type: 'string' }, chars: { type: 'integer', minimum: 0 } },
        required: ['kind'],
        additionalProperties: false,
      },
    });
    validatesAll(schema, events);
  });

  it('recognises embeddings: numeric arrays of one length, at least 8 long', () => {
    const events = [
      { embedding: [0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8], scores: [1, 2, 3] },
      { embedding: [0.0, 0.2, -0.3, 0.4, 0.1, 0.6, 0.2, 1], scores: [1, 2, 3, 4, 5, 6, 7, 8] },
    ];
    const p = props(inferSchema(events));
    expect(p.embedding).toEqual({ type: 'array', items: { type: 'number' }, minItems: 8, maxItems: 8 });
    expect(p.scores).toEqual({ type: 'array', items: { type: 'integer', minimum: 0 } });
  });

  it('draws no minimum for negative integers or when bounds are turned off', () => {
    expect(props(inferSchema([{ d: -1 }, { d: 4 }])).d).toEqual({ type: 'integer' });
    expect(props(inferSchema([{ d: 1 }], { minimumZero: false })).d).toEqual({ type: 'integer' });
  });

  it('merges: two halves give the schema of one pass', () => {
    const whole = new SchemaAccumulator();
    for (const e of turns) whole.observe(e);
    const a = new SchemaAccumulator();
    const b = new SchemaAccumulator();
    for (const [i, e] of turns.entries()) (i < 3 ? a : b).observe(e);
    expect(a.merge(b).toSchema()).toEqual(whole.toSchema());
    expect(a.events).toBe(turns.length);
  });

  it('bounds memory: caps distinct values and keys, and still accepts every sample', () => {
    const events = Array.from({ length: 40 }, (_, i) => ({
      plan: `p${i % 5}`,
      counters: { [`k${i}`]: i },
    }));
    const acc = new SchemaAccumulator({ maxTrackedValues: 3, maxProperties: 10 });
    for (const e of events) acc.observe(e);
    expect(acc.root.properties?.get('plan')?.values).toBeNull();
    expect(acc.root.properties?.get('counters')?.properties?.size).toBe(10);
    const schema = acc.toSchema();
    expect(props(schema).plan).toEqual({ type: 'string' });
    // too many keys: a map keyed by data, left open
    expect(props(schema).counters?.additionalProperties).toBeUndefined();
    validatesAll(schema, events);
  });

  it('does not remember long strings', () => {
    const long = 'x'.repeat(500);
    const acc = new SchemaAccumulator().observe({ t: long }).observe({ t: long });
    expect(acc.root.properties?.get('t')?.values).toBeNull();
  });
});
