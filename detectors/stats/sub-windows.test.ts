import { describe, expect, it } from 'vitest';
import { SubWindows } from './sub-windows.js';

describe('SubWindows', () => {
  const counter = () => ({ n: 0 });

  it('sums a sliding window of sub-windows and forgets what slid out', () => {
    const w = new SubWindows(1000, 3, counter);
    for (const t of [0, 500, 1500, 2500, 3500]) w.at(t)!.n++;
    // Window ending at 3500 covers sub-windows 1, 2, 3.
    expect(w.window(3500).reduce((s, b) => s + b.n, 0)).toBe(3);
    expect(w.windowStart(3500)).toBe(1000);
  });

  it('refuses events older than the window it keeps', () => {
    const w = new SubWindows(1000, 2, counter);
    w.at(10_000)!.n++;
    expect(w.at(8_000)).toBeUndefined();
    expect(w.at(9_500)).toBeDefined();
  });

  it('accepts late events inside the window', () => {
    const w = new SubWindows(1000, 5, counter);
    w.at(5_000)!.n++;
    w.at(2_000)!.n++;
    expect(w.window(5_000).map((b) => b.n)).toEqual([1, 1]);
  });

  it('rejects a bad shape', () => {
    expect(() => new SubWindows(0, 1, counter)).toThrow(RangeError);
  });
});
