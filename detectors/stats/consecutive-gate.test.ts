import { describe, expect, it } from 'vitest';
import { ConsecutiveGate } from './consecutive-gate.js';

describe('ConsecutiveGate', () => {
  it('fires at k positives within the last n, and stops once they slide out', () => {
    const g = new ConsecutiveGate(2, 3);
    expect([true, false, false, true, true, false, false].map((p) => g.push(p))).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('with k = n = 1 follows each evaluation', () => {
    const g = new ConsecutiveGate(1, 1);
    expect([true, false, true].map((p) => g.push(p))).toEqual([true, false, true]);
  });

  it('keeps its history through a snapshot', () => {
    const g = new ConsecutiveGate(3, 4);
    for (const p of [true, true, false]) g.push(p);
    const restored = new ConsecutiveGate(3, 4);
    restored.restore(JSON.parse(JSON.stringify(g.toJSON())));
    expect(restored.push(true)).toBe(true);
  });

  it('refuses k above n or below 1', () => {
    expect(() => new ConsecutiveGate(3, 2)).toThrow(RangeError);
    expect(() => new ConsecutiveGate(0, 2)).toThrow(RangeError);
  });
});
