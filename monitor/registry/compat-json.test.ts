import { describe, expect, it } from 'vitest';
import { deepEqual, jsonKind, show } from './compat-json.js';

describe('JSON helpers', () => {
  it('deepEqual ignores key order and tells arrays from objects', () => {
    expect(deepEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
  });

  it('jsonKind splits integers from other numbers', () => {
    expect([1, 1.5, null, [], {}, 'a', true].map(jsonKind)).toEqual([
      'integer',
      'fraction',
      'null',
      'array',
      'object',
      'string',
      'boolean',
    ]);
  });

  it('show shortens long values', () => {
    expect(show('x'.repeat(100), 10)).toHaveLength(10);
  });
});
