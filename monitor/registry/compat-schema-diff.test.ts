import { describe, expect, it } from 'vitest';
import { createAjv } from './ajv.js';
import { compareSchemas } from './compat-schema-diff.js';
import type { JsonSchema } from './contract.js';

type Model = 'open' | 'closed';
type Obj = (properties: Record<string, unknown>, extra?: Record<string, unknown>) => JsonSchema;
/** [change, pointer, backward, forward] */
type Expected = [string, string, boolean, boolean];

/** Builds object schemas in one content model, at every level a case uses it. */
function objIn(model: Model): Obj {
  return (properties, extra = {}) => ({
    type: 'object',
    properties,
    ...(model === 'closed' ? { additionalProperties: false } : {}),
    ...extra,
  });
}

interface Case {
  name: string;
  older: (obj: Obj) => JsonSchema;
  newer: (obj: Obj) => JsonSchema;
  /** Expected changes per model; `both` when the model makes no difference. */
  expect: { open: Expected[]; closed: Expected[] } | { both: Expected[] };
  /**
   * Events that ajv judges under both schemas: every flag that is true must
   * hold on them, and (unless `conservative`) every flag that is false must be
   * shown false by one of them.
   */
  samples: unknown[];
  conservative?: boolean;
}

const CASES: Case[] = [
  {
    name: 'identical schemas',
    older: (obj) => obj({ text: { type: 'string' } }, { required: ['text'] }),
    newer: (obj) => obj({ text: { type: 'string' } }, { required: ['text'] }),
    expect: { both: [] },
    samples: [{}, { text: 'a' }, { text: 1 }, { other: 1 }],
  },
  {
    name: 'optional property added',
    older: (obj) => obj({}),
    newer: (obj) => obj({ intent: { type: 'string' } }),
    expect: {
      open: [['property_added', '/intent', false, true]],
      closed: [['property_added', '/intent', true, false]],
    },
    samples: [{}, { intent: 'refund' }, { intent: 42 }],
  },
  {
    name: 'unconstrained optional property added',
    older: (obj) => obj({}),
    newer: (obj) => obj({ note: { description: 'free' } }),
    expect: {
      open: [['property_added', '/note', true, true]],
      closed: [['property_added', '/note', true, false]],
    },
    samples: [{}, { note: 'x' }, { note: 1 }],
  },
  {
    name: 'optional property removed',
    older: (obj) => obj({ legacy: { type: 'string' } }),
    newer: (obj) => obj({}),
    expect: {
      open: [['property_removed', '/legacy', true, false]],
      closed: [['property_removed', '/legacy', false, true]],
    },
    samples: [{}, { legacy: 'x' }, { legacy: 5 }],
  },
  {
    name: 'required property added',
    older: (obj) => obj({ intent: { type: 'string' } }),
    newer: (obj) => obj({ intent: { type: 'string' } }, { required: ['intent'] }),
    expect: { both: [['required_added', '/intent', false, true]] },
    samples: [{}, { intent: 'a' }],
  },
  {
    name: 'new property that is required at once',
    older: (obj) => obj({}),
    newer: (obj) => obj({ intent: { type: 'string' } }, { required: ['intent'] }),
    expect: {
      open: [
        ['property_added', '/intent', false, true],
        ['required_added', '/intent', false, true],
      ],
      closed: [
        ['property_added', '/intent', true, false],
        ['required_added', '/intent', false, true],
      ],
    },
    samples: [{}, { intent: 'a' }, { intent: 1 }],
  },
  {
    name: 'required property made optional',
    older: (obj) => obj({ intent: { type: 'string' } }, { required: ['intent'] }),
    newer: (obj) => obj({ intent: { type: 'string' } }),
    expect: { both: [['required_removed', '/intent', true, false]] },
    samples: [{}, { intent: 'a' }],
  },
  {
    name: 'nullable string narrowed to string',
    older: (obj) => obj({ s: { type: ['string', 'null'] } }),
    newer: (obj) => obj({ s: { type: 'string' } }),
    expect: { both: [['type_narrowed', '/s', false, true]] },
    samples: [{ s: 'a' }, { s: null }],
  },
  {
    name: 'number narrowed to integer',
    older: (obj) => obj({ n: { type: 'number' } }),
    newer: (obj) => obj({ n: { type: 'integer' } }),
    expect: { both: [['type_narrowed', '/n', false, true]] },
    samples: [{ n: 1 }, { n: 1.5 }],
  },
  {
    name: 'integer widened to number',
    older: (obj) => obj({ n: { type: 'integer' } }),
    newer: (obj) => obj({ n: { type: 'number' } }),
    expect: { both: [['type_widened', '/n', true, false]] },
    samples: [{ n: 1 }, { n: 1.5 }],
  },
  {
    name: 'number spelled as ["integer","number"]',
    older: (obj) => obj({ n: { type: 'number' } }),
    newer: (obj) => obj({ n: { type: ['integer', 'number'] } }),
    expect: { both: [] },
    samples: [{ n: 1 }, { n: 1.5 }, { n: 'x' }],
  },
  {
    name: 'string changed to number',
    older: (obj) => obj({ v: { type: 'string' } }),
    newer: (obj) => obj({ v: { type: 'number' } }),
    expect: { both: [['type_changed', '/v', false, false]] },
    samples: [{ v: 'a' }, { v: 1 }],
  },
  {
    name: 'enum value added',
    older: (obj) => obj({ channel: { enum: ['chat', 'voice'] } }),
    newer: (obj) => obj({ channel: { enum: ['chat', 'voice', 'sms'] } }),
    expect: { both: [['enum_value_added', '/channel', true, false]] },
    samples: [{ channel: 'chat' }, { channel: 'sms' }],
  },
  {
    name: 'enum value removed',
    older: (obj) => obj({ channel: { enum: ['chat', 'voice'] } }),
    newer: (obj) => obj({ channel: { enum: ['chat'] } }),
    expect: { both: [['enum_value_removed', '/channel', false, true]] },
    samples: [{ channel: 'chat' }, { channel: 'voice' }],
  },
  {
    name: 'enum added where there was none',
    older: (obj) => obj({ channel: { type: 'string' } }),
    newer: (obj) => obj({ channel: { type: 'string', enum: ['chat'] } }),
    expect: { both: [['enum_added', '/channel', false, true]] },
    samples: [{ channel: 'chat' }, { channel: 'fax' }],
  },
  {
    name: 'enum removed',
    older: (obj) => obj({ channel: { type: 'string', enum: ['chat'] } }),
    newer: (obj) => obj({ channel: { type: 'string' } }),
    expect: { both: [['enum_removed', '/channel', true, false]] },
    samples: [{ channel: 'chat' }, { channel: 'fax' }],
  },
  {
    name: 'const changed',
    older: (obj) => obj({ v: { const: 1 } }),
    newer: (obj) => obj({ v: { const: 2 } }),
    expect: {
      both: [
        ['enum_value_added', '/v', true, false],
        ['enum_value_removed', '/v', false, true],
      ],
    },
    samples: [{ v: 1 }, { v: 2 }],
  },
  {
    name: 'nullable enum narrowed through type and enum together',
    older: (obj) => obj({ s: { type: ['string', 'null'], enum: ['a', null] } }),
    newer: (obj) => obj({ s: { type: 'string', enum: ['a', null] } }),
    expect: { both: [['enum_value_removed', '/s', false, true]] },
    samples: [{ s: 'a' }, { s: null }],
  },
  {
    name: 'const rewritten as a one-value enum',
    older: (obj) => obj({ v: { const: 'x' } }),
    newer: (obj) => obj({ v: { enum: ['x'] } }),
    expect: { both: [] },
    samples: [{ v: 'x' }, { v: 'y' }],
  },
  {
    name: 'format added',
    older: (obj) => obj({ email: { type: 'string' } }),
    newer: (obj) => obj({ email: { type: 'string', format: 'email' } }),
    expect: { both: [['format_added', '/email', false, true]] },
    samples: [{ email: 'a@example.com' }, { email: 'not an address' }],
  },
  {
    name: 'format removed',
    older: (obj) => obj({ email: { type: 'string', format: 'email' } }),
    newer: (obj) => obj({ email: { type: 'string' } }),
    expect: { both: [['format_removed', '/email', true, false]] },
    samples: [{ email: 'a@example.com' }, { email: 'not an address' }],
  },
  {
    name: 'format changed',
    older: (obj) => obj({ at: { type: 'string', format: 'date-time' } }),
    newer: (obj) => obj({ at: { type: 'string', format: 'date' } }),
    expect: { both: [['format_changed', '/at', false, false]] },
    samples: [{ at: '2024-05-01T10:00:00Z' }, { at: '2024-05-01' }],
  },
  {
    name: 'minLength raised',
    older: (obj) => obj({ t: { type: 'string', minLength: 1 } }),
    newer: (obj) => obj({ t: { type: 'string', minLength: 3 } }),
    expect: { both: [['bound_tightened', '/t', false, true]] },
    samples: [{ t: 'a' }, { t: 'abc' }],
  },
  {
    name: 'maxLength added',
    older: (obj) => obj({ t: { type: 'string' } }),
    newer: (obj) => obj({ t: { type: 'string', maxLength: 2 } }),
    expect: { both: [['bound_tightened', '/t', false, true]] },
    samples: [{ t: 'a' }, { t: 'abc' }],
  },
  {
    name: 'maximum raised',
    older: (obj) => obj({ score: { type: 'number', maximum: 1 } }),
    newer: (obj) => obj({ score: { type: 'number', maximum: 5 } }),
    expect: { both: [['bound_loosened', '/score', true, false]] },
    samples: [{ score: 1 }, { score: 3 }],
  },
  {
    name: 'minimum made exclusive at the same value',
    older: (obj) => obj({ score: { type: 'number', minimum: 0 } }),
    newer: (obj) => obj({ score: { type: 'number', exclusiveMinimum: 0 } }),
    expect: { both: [['bound_tightened', '/score', false, true]] },
    samples: [{ score: 0 }, { score: 1 }],
  },
  {
    name: 'minimum removed',
    older: (obj) => obj({ score: { type: 'number', minimum: 0 } }),
    newer: (obj) => obj({ score: { type: 'number' } }),
    expect: { both: [['bound_loosened', '/score', true, false]] },
    samples: [{ score: 0 }, { score: -1 }],
  },
  {
    name: 'multipleOf 2 to 4',
    older: (obj) => obj({ n: { type: 'integer', multipleOf: 2 } }),
    newer: (obj) => obj({ n: { type: 'integer', multipleOf: 4 } }),
    expect: { both: [['bound_tightened', '/n', false, true]] },
    samples: [{ n: 2 }, { n: 4 }],
  },
  {
    name: 'pattern added',
    older: (obj) => obj({ code: { type: 'string' } }),
    newer: (obj) => obj({ code: { type: 'string', pattern: '^[A-Z]+$' } }),
    expect: { both: [['bound_tightened', '/code', false, true]] },
    samples: [{ code: 'AB' }, { code: 'ab' }],
  },
  {
    name: 'pattern removed',
    older: (obj) => obj({ code: { type: 'string', pattern: '^[A-Z]+$' } }),
    newer: (obj) => obj({ code: { type: 'string' } }),
    expect: { both: [['bound_loosened', '/code', true, false]] },
    samples: [{ code: 'AB' }, { code: 'ab' }],
  },
  {
    name: 'pattern changed',
    older: (obj) => obj({ code: { type: 'string', pattern: '^[A-Z]+$' } }),
    newer: (obj) => obj({ code: { type: 'string', pattern: '^[A-Z0-9]{2}$' } }),
    expect: { both: [['pattern_changed', '/code', false, false]] },
    samples: [{ code: 'ABC' }, { code: 'A1' }],
  },
  {
    name: 'minItems raised and uniqueItems added',
    older: (obj) => obj({ tags: { type: 'array' } }),
    newer: (obj) => obj({ tags: { type: 'array', minItems: 1, uniqueItems: true } }),
    expect: {
      both: [
        ['bound_tightened', '/tags', false, true],
        ['bound_tightened', '/tags', false, true],
      ],
    },
    samples: [{ tags: [] }, { tags: ['a', 'a'] }, { tags: ['a'] }],
  },
  {
    name: 'nested format added',
    older: (obj) => obj({ customer: obj({ email: { type: 'string' } }) }),
    newer: (obj) => obj({ customer: obj({ email: { type: 'string', format: 'email' } }) }),
    expect: { both: [['format_added', '/customer/email', false, true]] },
    samples: [{ customer: { email: 'a@example.com' } }, { customer: { email: 'nope' } }],
  },
  {
    name: 'nested property added',
    older: (obj) => obj({ customer: obj({ id: { type: 'string' } }) }),
    newer: (obj) => obj({ customer: obj({ id: { type: 'string' }, tier: { enum: ['gold', 'basic'] } }) }),
    expect: {
      open: [['property_added', '/customer/tier', false, true]],
      closed: [['property_added', '/customer/tier', true, false]],
    },
    samples: [{ customer: {} }, { customer: { tier: 'gold' } }, { customer: { tier: 'vip' } }],
  },
  {
    name: 'nested required added',
    older: (obj) => obj({ customer: obj({ id: { type: 'string' } }) }),
    newer: (obj) => obj({ customer: obj({ id: { type: 'string' } }, { required: ['id'] }) }),
    expect: { both: [['required_added', '/customer/id', false, true]] },
    samples: [{ customer: {} }, { customer: { id: 'c1' } }],
  },
  {
    name: 'array items type narrowed',
    older: (obj) => obj({ tags: { type: 'array', items: { type: ['string', 'integer'] } } }),
    newer: (obj) => obj({ tags: { type: 'array', items: { type: 'string' } } }),
    expect: { both: [['type_narrowed', '/tags/items', false, true]] },
    samples: [{ tags: ['a'] }, { tags: [1] }],
  },
  {
    name: 'array items constrained where they were not',
    older: (obj) => obj({ tags: { type: 'array' } }),
    newer: (obj) => obj({ tags: { type: 'array', items: { type: 'string' } } }),
    expect: { both: [['items_changed', '/tags/items', false, true]] },
    samples: [{ tags: ['a'] }, { tags: [1] }],
  },
  {
    name: 'array items no longer constrained',
    older: (obj) => obj({ tags: { type: 'array', items: { type: 'string' } } }),
    newer: (obj) => obj({ tags: { type: 'array' } }),
    expect: { both: [['items_changed', '/tags/items', true, false]] },
    samples: [{ tags: ['a'] }, { tags: [1] }],
  },
  {
    name: 'property added to object items',
    older: (obj) => obj({ turns: { type: 'array', items: obj({ text: { type: 'string' } }) } }),
    newer: (obj) =>
      obj({
        turns: { type: 'array', items: obj({ text: { type: 'string' }, speaker: { type: 'string' } }) },
      }),
    expect: {
      open: [['property_added', '/turns/items/speaker', false, true]],
      closed: [['property_added', '/turns/items/speaker', true, false]],
    },
    samples: [{ turns: [{ text: 'hi' }] }, { turns: [{ speaker: 'agent' }] }, { turns: [{ speaker: 7 }] }],
  },
  {
    name: 'anyOf changed',
    older: (obj) => obj({ v: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }),
    newer: (obj) => obj({ v: { anyOf: [{ type: 'string' }, { type: 'number' }] } }),
    expect: { both: [['composition_changed', '/v', false, false]] },
    samples: [{ v: 'a' }, { v: 1 }, { v: 1.5 }],
    conservative: true,
  },
  {
    name: 'anyOf unchanged',
    older: (obj) => obj({ v: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, w: { type: 'string' } }),
    newer: (obj) => obj({ v: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, w: { type: 'string' } }),
    expect: { both: [] },
    samples: [{ v: 'a' }, { v: 1.5 }],
  },
  {
    name: '$ref changed',
    older: (obj) =>
      obj({ v: { $ref: '#/$defs/a' } }, { $defs: { a: { type: 'string' }, b: { type: 'integer' } } }),
    newer: (obj) =>
      obj({ v: { $ref: '#/$defs/b' } }, { $defs: { a: { type: 'string' }, b: { type: 'integer' } } }),
    expect: { both: [['reference_changed', '/v', false, false]] },
    samples: [{ v: 'a' }, { v: 1 }],
  },
  {
    name: 'annotations only',
    older: (obj) => obj({ text: { type: 'string', description: 'what was said' } }),
    newer: (obj) => obj({ text: { type: 'string', description: 'the utterance', examples: ['hi'] } }),
    expect: { both: [['annotation_changed', '/text', true, true]] },
    samples: [{ text: 'a' }, { text: 1 }],
  },
  {
    name: 'new property constrained by a schema-valued additionalProperties',
    older: () => ({ type: 'object', additionalProperties: { type: 'string' } }),
    newer: () => ({
      type: 'object',
      properties: { lang: { type: 'string', maxLength: 5 } },
      additionalProperties: { type: 'string' },
    }),
    expect: { both: [['property_added', '/lang', false, true]] },
    samples: [{}, { lang: 'en' }, { lang: 'english' }],
  },
];

const ajv = createAjv();
const validator = (schema: JsonSchema) => ajv.compile(structuredClone(schema));
const pick = (c: Case, model: Model) => ('both' in c.expect ? c.expect.both : c.expect[model]);
const key = (e: Expected) => JSON.stringify(e);

describe('compareSchemas', () => {
  for (const model of ['open', 'closed'] as const) {
    describe(`${model} content model`, () => {
      it.each(CASES)('$name', (c) => {
        const obj = objIn(model);
        const older = c.older(obj);
        const newer = c.newer(obj);
        const changes = compareSchemas(older, newer);
        const got: Expected[] = changes.map((ch) => [ch.change, ch.pointer, ch.backward, ch.forward]);
        expect(got.map(key).sort()).toEqual(pick(c, model).map(key).sort());

        // The flags must agree with what ajv does on the samples.
        const vOld = validator(older);
        const vNew = validator(newer);
        const backward = changes.every((ch) => ch.backward);
        const forward = changes.every((ch) => ch.forward);
        const oldToNew = c.samples.every((s) => !vOld(s) || vNew(s));
        const newToOld = c.samples.every((s) => !vNew(s) || vOld(s));
        if (backward) expect(oldToNew).toBe(true);
        if (forward) expect(newToOld).toBe(true);
        if (!c.conservative) {
          expect(oldToNew).toBe(backward);
          expect(newToOld).toBe(forward);
        }
      });
    });
  }
});

describe('compareSchemas on the content model itself', () => {
  const props = { text: { type: 'string' } };
  it.each([
    {
      name: 'closing an open model',
      older: { type: 'object', properties: props },
      newer: { type: 'object', properties: props, additionalProperties: false },
      expected: [['content_model_closed', '', false, true]],
    },
    {
      name: 'opening a closed model',
      older: { type: 'object', properties: props, additionalProperties: false },
      newer: { type: 'object', properties: props, additionalProperties: true },
      expected: [['content_model_opened', '', true, false]],
    },
    {
      name: 'explicit additionalProperties: true is the open model',
      older: { type: 'object', properties: props },
      newer: { type: 'object', properties: props, additionalProperties: true },
      expected: [],
    },
    {
      name: 'additionalProperties schema widened',
      older: { type: 'object', additionalProperties: { type: 'string' } },
      newer: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
      expected: [['additional_properties_changed', '', true, false]],
    },
    {
      name: 'patternProperties changed',
      older: { type: 'object', patternProperties: { '^x_': { type: 'string' } } },
      newer: { type: 'object', patternProperties: { '^x_': { type: 'integer' } } },
      expected: [['pattern_properties_changed', '', false, false]],
    },
    {
      name: 'property removed into a closed model with patterns it matches',
      older: {
        type: 'object',
        properties: { x_a: { type: 'string' } },
        patternProperties: { '^x_': { type: 'string' } },
        additionalProperties: false,
      },
      newer: {
        type: 'object',
        patternProperties: { '^x_': { type: 'string' } },
        additionalProperties: false,
      },
      expected: [['property_removed', '/x_a', true, true]],
    },
    {
      name: 'root schema false to an object schema',
      older: { type: 'object', properties: { legacy: false } },
      newer: { type: 'object', properties: { legacy: { type: 'string' } } },
      expected: [['value_allowed', '/legacy', true, false]],
    },
    {
      name: 'property names with / and ~ are escaped',
      older: { type: 'object', properties: { 'a/b~c': { type: 'string' } } },
      newer: { type: 'object', properties: { 'a/b~c': { type: 'integer' } } },
      expected: [['type_changed', '/a~1b~0c', false, false]],
    },
    {
      name: 'oneOf added around the event',
      older: { type: 'object' },
      newer: { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] },
      expected: [['composition_changed', '', false, false]],
    },
    {
      name: 'an unknown keyword is not guessed at',
      older: { type: 'object', propertyNames: { maxLength: 5 } },
      newer: { type: 'object', propertyNames: { maxLength: 3 } },
      expected: [['keyword_changed', '', false, false]],
    },
    {
      name: 'x- extensions are annotations',
      older: { type: 'object', 'x-owner': 'a' },
      newer: { type: 'object', 'x-owner': 'b' },
      expected: [['annotation_changed', '', true, true]],
    },
    {
      name: 'schema that accepted anything: every narrowing keeps forward',
      older: {},
      newer: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      expected: [['composition_changed', '', false, true]],
    },
  ])('$name', ({ older, newer, expected }) => {
    const got = compareSchemas(older, newer).map((ch) => [ch.change, ch.pointer, ch.backward, ch.forward]);
    expect(got).toEqual(expected);
  });

  it('writes details a contract author can act on', () => {
    const [change] = compareSchemas(
      { type: 'object', properties: { intent: { type: 'string' } } },
      { type: 'object', properties: { intent: { type: 'string' } }, required: ['intent'] },
    );
    expect(change).toMatchObject({ detail: 'attribute "intent" became required', keyword: 'required' });
  });
});
