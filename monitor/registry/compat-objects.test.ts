import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compat-schema-diff.js';

const got = (older: Record<string, unknown>, newer: Record<string, unknown>) =>
  compareSchemas(older, newer).map((c) => [c.change, c.pointer, c.backward, c.forward]);

describe('object keywords', () => {
  it('compares an added property with the pattern schema the earlier version applied to it', () => {
    const patterns = { '^x_': { type: 'string' } };
    expect(
      got(
        { type: 'object', patternProperties: patterns, additionalProperties: false },
        {
          type: 'object',
          properties: { x_lang: { type: 'string', maxLength: 2 } },
          patternProperties: patterns,
          additionalProperties: false,
        },
      ),
    ).toEqual([['property_added', '/x_lang', false, true]]);
  });

  it('does not analyse a name that several patterns match', () => {
    const patterns = { '^x_': { type: 'string' }, _id$: { minLength: 3 } };
    expect(
      got(
        { type: 'object', patternProperties: patterns },
        { type: 'object', properties: { x_id: { type: 'string' } }, patternProperties: patterns },
      ),
    ).toEqual([['property_added', '/x_id', false, false]]);
  });

  it('compares a removed property with a schema-valued additionalProperties', () => {
    expect(
      got(
        { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: { type: 'number' } },
        { type: 'object', additionalProperties: { type: 'number' } },
      ),
    ).toEqual([['property_removed', '/n', true, false]]);
  });

  it('narrowing additionalProperties to false from a schema breaks backward only', () => {
    expect(
      got(
        { type: 'object', additionalProperties: { type: 'string' } },
        { type: 'object', additionalProperties: false },
      ),
    ).toEqual([['additional_properties_changed', '', false, true]]);
  });

  it('reads a missing required list as empty', () => {
    expect(got({ type: 'object', required: [] }, { type: 'object' })).toEqual([]);
  });
});
