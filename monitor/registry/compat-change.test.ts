import { describe, expect, it } from 'vitest';
import { childPointer, directions } from './compat-change.js';

describe('change helpers', () => {
  it('escapes pointer segments and combines directions', () => {
    expect(childPointer('/a', 'b/c~d')).toBe('/a/b~1c~0d');
    expect(directions([])).toEqual({ backward: true, forward: true });
  });
});
