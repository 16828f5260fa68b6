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

describe('ConsecutiveGate.record', () => {
  it('counts windows, not evaluations: re-evaluating one window replaces its entry', () => {
    const g = new ConsecutiveGate(2, 3);
    // Many evaluations of window 7 drift: still one window.
    expect([true, true, true].map((p) => g.record(7, p))).toEqual([false, false, false]);
    expect(g.record(8, true)).toBe(true);
    // Window 8 re-judged as quiet: back to one drifting window of the last three.
    expect(g.record(8, false)).toBe(false);
    const restored = new ConsecutiveGate(2, 3);
    restored.restore(g.toJSON(), g.lastSlot);
    expect(restored.record(8, true)).toBe(true);
  });
});
