import { describe, expect, it } from 'vitest';
import { admittedKinds, compareBounds, compareType, compareValues, finiteValues } from './compat-keywords.js';

const flags = (changes: { change: string; backward: boolean; forward: boolean }[]) =>
  changes.map((c) => [c.change, c.backward, c.forward]);

describe('admittedKinds', () => {
  it('splits number into integer and fraction, and admits every kind when type is absent', () => {
    expect(admittedKinds({ type: 'number' })).toEqual(new Set(['integer', 'fraction']));
    expect(admittedKinds({})?.size).toBe(7);
    expect(admittedKinds({ type: 'decimal' })).toBeUndefined();
  });
});

describe('compareType', () => {
  it.each([
    [{}, { type: 'string' }, [['type_narrowed', false, true]]],
    [{ type: 'string' }, {}, [['type_widened', true, false]]],
    [{ type: ['null', 'string'] }, { type: ['string', 'null'] }, []],
    [{ type: 'decimal' }, { type: 'number' }, [['type_changed', false, false]]],
  ])('%j -> %j', (older, newer, expected) => {
    expect(flags(compareType(older, newer, '/x'))).toEqual(expected);
  });
});

describe('compareValues', () => {
  it('keeps only the values the type admits', () => {
    expect(finiteValues({ type: 'string', enum: ['a', 1, null] })).toEqual(['a']);
    expect(finiteValues({ const: 'a', enum: ['a', 'b'] })).toEqual(['a']);
    expect(finiteValues({ type: 'string' })).toBeUndefined();
  });

  it('compares object values structurally', () => {
    expect(compareValues({ enum: [{ a: 1, b: 2 }] }, { enum: [{ b: 2, a: 1 }] }, '/x')).toEqual([]);
  });
});

describe('compareBounds', () => {
  it.each([
    ['maximum lowered', { maximum: 10 }, { maximum: 5 }, [['bound_tightened', false, true]]],
    ['maximum made exclusive', { maximum: 10 }, { exclusiveMaximum: 10 }, [['bound_tightened', false, true]]],
    [
      'exclusive bound relaxed to inclusive',
      { exclusiveMinimum: 0 },
      { minimum: 0 },
      [['bound_loosened', true, false]],
    ],
    [
      'tighter of minimum and exclusiveMinimum counts',
      { minimum: 5 },
      { minimum: 5, exclusiveMinimum: 1 },
      [],
    ],
    ['maxItems removed', { maxItems: 3 }, {}, [['bound_loosened', true, false]]],
    ['minProperties added', {}, { minProperties: 1 }, [['bound_tightened', false, true]]],
    ['multipleOf 4 to 2', { multipleOf: 4 }, { multipleOf: 2 }, [['bound_loosened', true, false]]],
    ['multipleOf 0.5 to 0.1', { multipleOf: 0.5 }, { multipleOf: 0.1 }, [['bound_loosened', true, false]]],
    ['multipleOf 2 to 3', { multipleOf: 2 }, { multipleOf: 3 }, [['multiple_of_changed', false, false]]],
    ['uniqueItems dropped', { uniqueItems: true }, { uniqueItems: false }, [['bound_loosened', true, false]]],
    ['non-numeric bound', { minimum: '1' }, { minimum: 2 }, [['keyword_changed', false, false]]],
  ])('%s', (_name, older, newer, expected) => {
    expect(flags(compareBounds(older, newer, '/x'))).toEqual(expected);
  });

  it('describes the bound in the detail', () => {
    const [change] = compareBounds({ minimum: 0 }, { exclusiveMinimum: 0 }, '/score');
    expect(change).toMatchObject({ pointer: '/score', detail: 'lower bound changed from >= 0 to > 0' });
  });
});
