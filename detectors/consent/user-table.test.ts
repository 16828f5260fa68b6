import { describe, expect, it } from 'vitest';
import { UserTable } from './user-table.js';

/** A small deterministic generator: the same operations on every run. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % n;
  };
}

describe('UserTable', () => {
  it('agrees with a Map over many sets, updates and deletes, through growth', () => {
    const table = new UserTable(16);
    const map = new Map<string, number>();
    const next = random(42);
    // Short ids (inline), long ones and ones beyond one byte a character (kept outside the slot), and the empty string.
    const keyOf = (i: number) =>
      i % 7 === 0 ? `user-${i}-${'x'.repeat(60)}` : i % 11 === 0 ? `usér-${i}-ü€` : i === 3 ? '' : `usr_${i}`;
    for (let op = 0; op < 30_000; op++) {
      const key = keyOf(next(2000));
      const what = next(10);
      if (what < 6) {
        const v = next(1_000_000) - 3;
        table.set(key, v);
        map.set(key, v);
      } else if (what < 9) {
        expect(table.delete(key)).toBe(map.delete(key));
      } else {
        expect(table.get(key)).toBe(map.get(key));
      }
    }
    expect(table.size).toBe(map.size);
    for (let i = 0; i < 2000; i++) expect(table.get(keyOf(i))).toBe(map.get(keyOf(i)));
  });

  it('walks every key once by slot, giving back keys and values', () => {
    const table = new UserTable();
    const keys = ['a', 'user-2', `long-${'y'.repeat(80)}`, 'zoë', '顧客-9'];
    for (const [i, k] of keys.entries()) table.set(k, i);
    const seen = new Map<string, number>();
    for (let s = table.nextSlot(0); seen.size < table.size; s = table.nextSlot(s + 1)) {
      seen.set(table.keyAt(s), table.valueAt(s));
    }
    expect(seen).toEqual(new Map(keys.map((k, i) => [k, i])));
    expect(new UserTable().nextSlot(0)).toBe(-1);
  });

  it('keeps every key findable when a removal shifts a probe run back, across the end of the slots', () => {
    const table = new UserTable(16);
    // Enough keys that runs form and wrap; remove every third through removeAt as a CLOCK hand does.
    const keys = Array.from({ length: 7 }, (_, i) => `k${i}`);
    for (const k of keys) table.set(k, 1);
    const removed = new Set<string>();
    for (let s = table.nextSlot(0), n = 0; n < 3; n++) {
      removed.add(table.keyAt(s));
      table.removeAt(s);
      s = table.nextSlot(s);
    }
    for (const k of keys) expect(table.get(k)).toBe(removed.has(k) ? undefined : 1);
    expect(table.size).toBe(4);
  });
});
