import { describe, expect, it } from 'vitest';
import { childPointer, pointerKeys, valueAtPointer } from './json-pointer.js';

describe('JSON pointers', () => {
  it('escapes and unescapes ~ and /', () => {
    expect(childPointer('/a', 'b/c~d')).toBe('/a/b~1c~0d');
    expect(pointerKeys('/a/b~1c~0d')).toEqual(['a', 'b/c~d']);
    expect(pointerKeys('')).toEqual([]);
  });

  it('reads values and stops at non-objects', () => {
    const doc = { a: { 'b/c': [10, 20] }, s: 'x' };
    expect(valueAtPointer(doc, '/a/b~1c/1')).toBe(20);
    expect(valueAtPointer(doc, '/s/length')).toBeUndefined();
    expect(valueAtPointer(doc, '')).toBe(doc);
  });
});
