import { describe, expect, it } from 'vitest';
import { unitKeyHash } from './unit-key-hash.js';
import { MAX_OUTCOMES_PER_UNIT, UnitTable, type UnitTableOptions } from './unit-table.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-01T00:00:00Z');

const OPTIONS: UnitTableOptions = { arms: 2, covariates: 0, attributionMs: 72 * HOUR, lateExposureMs: HOUR };
const BINARY = [true];

const user = (name: string) => unitKeyHash(name);

function table(options: Partial<UnitTableOptions> = {}): UnitTable {
  return new UnitTable({ ...OPTIONS, ...options });
}

function expose(t: UnitTable, name: string, arm: number, at: number, cov: number[] | null = null) {
  const k = user(name);
  return t.expose(k.hi, k.lo, arm, at, cov);
}

function outcome(t: UnitTable, name: string, at: number, event: number, metric = 0, value = 1) {
  const k = user(name);
  return t.addOutcome(k.hi, k.lo, metric, at, value, event);
}

/** Per arm, the units' values of the metrics, sorted, as plain arrays. */
function scanned(t: UnitTable, binary: boolean[] = BINARY): number[][][] {
  const arms: number[][][] = [[], []];
  t.scan(binary, (arm, values, covariates) => {
    arms[arm]!.push([...values, ...covariates]);
  });
  for (const a of arms) a.sort((x, y) => x.join().localeCompare(y.join()));
  return arms;
}

describe('UnitTable exposures', () => {
  it('assigns a unit to its first arm, repeats change nothing, a second arm crosses it', () => {
    const t = table();
    expect(expose(t, 'alice', 0, T0)).toBe('new');
    expect(expose(t, 'bob', 1, T0)).toBe('new');
    expect(expose(t, 'carol', 1, T0)).toBe('new');
    expect(expose(t, 'alice', 0, T0 + HOUR)).toBe('repeat');
    expect(t.armUnits).toEqual([1, 2]);
    expect(t.size).toBe(3);

    expect(expose(t, 'bob', 0, T0 + HOUR)).toBe('crossover');
    expect(t.armUnits).toEqual([1, 1]);
    expect(t.crossed).toBe(1);
    expect(t.size).toBe(3);
    expect(expose(t, 'bob', 1, T0 + 2 * HOUR)).toBe('crossed');
    expect(expose(t, 'bob', 0, T0 + 2 * HOUR)).toBe('crossed');
    expect(t.armUnits).toEqual([1, 1]);
    expect(t.crossed).toBe(1);
  });

  it('rejects more than 16 arms', () => {
    expect(() => table({ arms: 17 })).toThrow(RangeError);
  });

  it('keeps the earliest exposure by event time when exposures arrive out of order', () => {
    const t = table();
    expect(expose(t, 'alice', 0, T0 + 2 * HOUR)).toBe('new');
    // 30 minutes before the exposure seen so far: kept, since an earlier exposure may still come.
    expect(outcome(t, 'alice', T0 + 90 * MIN, 1)).toBe('added');
    expect(scanned(t)).toEqual([[[0]], []]);
    expect(expose(t, 'alice', 0, T0)).toBe('repeat');
    expect(scanned(t)).toEqual([[[1]], []]);
    // The window now ends 72 hours after the earlier exposure.
    expect(outcome(t, 'alice', T0 + 72 * HOUR + MIN, 2)).toBe('late');
  });

  it('takes the covariates of the earliest exposure', () => {
    const t = table({ covariates: 1 });
    expose(t, 'alice', 0, T0 + HOUR, [5]);
    expose(t, 'alice', 0, T0 + 2 * HOUR, [9]);
    expect(scanned(t)).toEqual([[[0, 5]], []]);
    expose(t, 'alice', 0, T0, [3]);
    expect(scanned(t)).toEqual([[[0, 3]], []]);
    expose(t, 'bob', 1, T0, [Number.NaN]);
    expect(scanned(t)[1]).toEqual([[0, 0]]);
  });
});

describe('UnitTable outcomes', () => {
  it('counts outcomes that arrived before the exposure once it comes, if inside the window', () => {
    const t = table();
    expect(outcome(t, 'alice', T0 + HOUR, 1)).toBe('pending');
    expect(outcome(t, 'bob', T0 - 10 * MIN, 2)).toBe('pending');
    expect(t.pending).toBe(2);
    expect(t.size).toBe(2);
    expect(scanned(t)).toEqual([[], []]);

    expect(expose(t, 'alice', 1, T0)).toBe('new');
    expect(expose(t, 'bob', 0, T0)).toBe('new');
    expect(t.pending).toBe(0);
    expect(t.armUnits).toEqual([1, 1]);
    // bob's outcome came before his exposure: not counted.
    expect(scanned(t)).toEqual([[[0]], [[1]]]);
  });

  it('has a half-open window: an outcome at exactly exposure + attribution is outside', () => {
    const t = table();
    expose(t, 'alice', 0, T0);
    expose(t, 'bob', 0, T0);
    expect(outcome(t, 'alice', T0 + 72 * HOUR, 1)).toBe('late');
    expect(outcome(t, 'bob', T0 + 72 * HOUR - 1, 2)).toBe('added');
    expect(outcome(t, 'bob', T0, 3)).toBe('added');
    expect(scanned(t)).toEqual([[[0], [1]], []]);

    // The same boundary holds for an outcome that waited for its exposure.
    const p = table();
    outcome(p, 'carol', T0 + 72 * HOUR, 4);
    expose(p, 'carol', 0, T0);
    expect(scanned(p)).toEqual([[[0]], []]);
  });

  it('drops outcomes more than lateExposureMs before the exposure as early', () => {
    const t = table();
    expose(t, 'alice', 0, T0 + 2 * HOUR);
    expect(outcome(t, 'alice', T0 + HOUR - 1, 1)).toBe('early');
    expect(outcome(t, 'alice', T0 + HOUR, 2)).toBe('added');
  });

  it('counts a repeated outcome once, and one event for two metrics for both', () => {
    const t = table();
    expose(t, 'alice', 0, T0);
    expect(outcome(t, 'alice', T0 + HOUR, 77, 0, 10)).toBe('added');
    expect(outcome(t, 'alice', T0 + HOUR, 77, 0, 10)).toBe('duplicate');
    expect(outcome(t, 'alice', T0 + HOUR, 77, 1, 10)).toBe('added');
    expect(outcome(t, 'alice', T0 + 2 * HOUR, 78, 1, 5)).toBe('added');
    expect(t.outcomeEntries).toBe(3);
    // Metric 0 binary, metric 1 continuous (the sum).
    expect(scanned(t, [true, false])).toEqual([[[1, 15]], []]);
    // Duplicates are recognised while pending too.
    expect(outcome(t, 'bob', T0, 79)).toBe('pending');
    expect(outcome(t, 'bob', T0, 79)).toBe('duplicate');
  });

  it('drops the outcomes of a crossed unit and leaves it out', () => {
    const t = table();
    expose(t, 'alice', 0, T0);
    expose(t, 'bob', 1, T0);
    outcome(t, 'alice', T0 + HOUR, 1);
    outcome(t, 'bob', T0 + HOUR, 2);
    expect(expose(t, 'alice', 1, T0 + 2 * HOUR)).toBe('crossover');
    expect(outcome(t, 'alice', T0 + 3 * HOUR, 3)).toBe('excluded');
    expect(scanned(t)).toEqual([[], [[1]]]);
  });
});

describe('UnitTable sweep', () => {
  it('drops pending units whose latest outcome is older than the cutoff and returns their entries', () => {
    const t = table();
    outcome(t, 'alice', T0, 1);
    outcome(t, 'alice', T0 + MIN, 2);
    outcome(t, 'bob', T0 + 2 * HOUR, 3);
    expose(t, 'carol', 0, T0);
    outcome(t, 'carol', T0 + MIN, 4);
    expect(t.pending).toBe(2);

    expect(t.sweep(T0 + HOUR)).toBe(2);
    expect(t.pending).toBe(1);
    expect(t.size).toBe(2);
    expect(t.sweep(T0 + HOUR)).toBe(0);
    // alice is gone: her next outcome starts a new pending unit, and a late exposure finds only it.
    expect(outcome(t, 'alice', T0 + 3 * HOUR, 5)).toBe('pending');
    expect(expose(t, 'alice', 0, T0 + 2 * HOUR)).toBe('new');
    expect(expose(t, 'bob', 1, T0 + HOUR)).toBe('new');
    expect(scanned(t)).toEqual([[[1], [1]], [[1]]]);
    expect(t.pending).toBe(0);
  });

  it('keeps every unit when many are swept and the table rebuilds', () => {
    const t = table();
    for (let i = 0; i < 5000; i++) outcome(t, `gone-${i}`, T0, i);
    for (let i = 0; i < 1000; i++) {
      expose(t, `kept-${i}`, i % 2, T0);
      outcome(t, `kept-${i}`, T0 + HOUR, 10_000 + i);
    }
    expect(t.sweep(T0 + 30 * MIN)).toBe(5000);
    expect(t.size).toBe(1000);
    expect(t.pending).toBe(0);
    expect(t.outcomeEntries).toBe(1000);
    const arms = scanned(t);
    expect(arms[0]!.length).toBe(500);
    expect(arms[1]!.length).toBe(500);
    expect(arms.flat().every((v) => v[0] === 1)).toBe(true);
  });
});

describe('UnitTable growth and snapshots', () => {
  it('keeps 200,000 units and their outcomes in under 200 bytes a unit', () => {
    const t = table();
    const n = 200_000;
    const results = new Map<string, number>();
    const count = (r: string) => results.set(r, (results.get(r) ?? 0) + 1);
    for (let i = 0; i < n; i++) {
      count(expose(t, `user-${i}`, i % 2, T0 + i));
      count(outcome(t, `user-${i}`, T0 + i + HOUR, i, 0, 1));
    }
    expect(Object.fromEntries(results)).toEqual({ new: n, added: n });
    expect(t.size).toBe(n);
    expect(t.armUnits).toEqual([n / 2, n / 2]);
    expect(t.outcomeEntries).toBe(n);
    expect(t.byteLength / n).toBeLessThan(200);
    let units = 0;
    let converted = 0;
    t.scan(BINARY, (_arm, values) => {
      units++;
      converted += values[0]!;
    });
    expect(units).toBe(n);
    expect(converted).toBe(n);
    // Every unit is still found: a repeat, not a new unit.
    expect(expose(t, 'user-0', 0, T0)).toBe('repeat');
    expect(expose(t, `user-${n - 1}`, 1, T0)).toBe('repeat');
    expect(outcome(t, 'user-12345', T0 + 12_345 + HOUR, 12_345)).toBe('duplicate');
  });

  it('compacts the outcome log of crossed units as it grows', () => {
    const t = table();
    for (let i = 0; i < 20_000; i++) {
      expose(t, `user-${i}`, 0, T0);
      for (let e = 0; e < 3; e++) outcome(t, `user-${i}`, T0 + HOUR, i * 3 + e);
      if (i % 2 === 1) expose(t, `user-${i}`, 1, T0);
    }
    expect(t.crossed).toBe(10_000);
    expect(t.armUnits).toEqual([10_000, 0]);
    expect(t.outcomeEntries).toBeLessThan(60_000);
    let counted = 0;
    t.scan(BINARY, () => counted++);
    expect(counted).toBe(10_000);
  });

  it('gives the same scan after a JSON round trip', () => {
    const t = table({ covariates: 1 });
    for (let i = 0; i < 3000; i++) {
      expose(t, `user-${i}`, i % 2, T0 + i, [i % 7]);
      if (i % 3 === 0) outcome(t, `user-${i}`, T0 + i + HOUR, i, 0, 1);
      if (i % 5 === 0) outcome(t, `user-${i}`, T0 + i + HOUR, 100_000 + i, 1, i % 11);
    }
    outcome(t, 'waiting', T0, 1);
    expose(t, 'user-1', 0, T0);
    const json = JSON.parse(JSON.stringify(t.toJSON()));
    const back = UnitTable.fromJSON({ ...OPTIONS, covariates: 1 }, json);
    expect(scanned(back, [true, false])).toEqual(scanned(t, [true, false]));
    expect(back.armUnits).toEqual(t.armUnits);
    expect(back.crossed).toBe(1);
    expect(back.pending).toBe(1);
    expect(back.size).toBe(t.size);
    expect(back.outcomeEntries).toBe(t.outcomeEntries);
    // It carries on: known units are found, pending ones still wait.
    expect(expose(back, 'user-2', 0, T0)).toBe('repeat');
    expect(expose(back, 'waiting', 1, T0)).toBe('new');
    expect(outcome(back, 'user-3', T0 + 3 + HOUR, 3)).toBe('duplicate');
  });

  it('refuses a snapshot whose units name an arm there is not, or whose columns disagree', () => {
    const t = table();
    expose(t, 'user-1', 1, T0);
    outcome(t, 'user-1', T0 + HOUR, 5, 1);
    const json = t.toJSON();
    expect(() => UnitTable.fromJSON({ ...OPTIONS, arms: 1 }, json)).toThrow(/state 2/);
    expect(() => UnitTable.fromJSON(OPTIONS, json, 1)).toThrow(/metric there is not/);
    expect(() => UnitTable.fromJSON(OPTIONS, { ...json, units: 2 })).toThrow(RangeError);
    expect(() => UnitTable.fromJSON(OPTIONS, { ...json, counts: json.hi })).toThrow(/do not add up/);
  });

  it('keeps at most MAX_OUTCOMES_PER_UNIT outcomes of one unit, so a shared id cannot make every event slow', () => {
    const t = table();
    expose(t, 'anonymous', 0, T0);
    const results = Array.from({ length: MAX_OUTCOMES_PER_UNIT + 6 }, (_, i) =>
      outcome(t, 'anonymous', T0 + i, i),
    );
    expect(results.filter((r) => r === 'added')).toHaveLength(MAX_OUTCOMES_PER_UNIT);
    expect(results.slice(MAX_OUTCOMES_PER_UNIT)).toEqual(Array(6).fill('capped'));
    // A duplicate is still told apart from a capped outcome.
    expect(outcome(t, 'anonymous', T0, 0)).toBe('duplicate');
  });

  it('snapshots live units only, not the free slots of a large table', () => {
    const t = table();
    for (let i = 0; i < 20_000; i++) expose(t, `user-${i}`, i % 2, T0 + i);
    const bytes = JSON.stringify(t.toJSON()).length;
    // hi, lo, state, exposedAt and a count: 21 bytes a unit, 28 in base64.
    expect(bytes / 20_000).toBeLessThan(30);
  });
});
