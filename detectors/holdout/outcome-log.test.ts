import { describe, expect, it } from 'vitest';
import { b64, OutcomeLog, unb64 } from './outcome-log.js';

function list(log: OutcomeLog, head: number): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = head; i >= 0; i = log.nextOf(i))
    out.push([log.metricOf(i), log.atOf(i), log.amountOf(i), log.hashOf(i)]);
  return out;
}

describe('OutcomeLog', () => {
  it('links each unit entry to its previous one, newest first', () => {
    const log = new OutcomeLog(2);
    let head = -1;
    head = log.push(head, 0, 1000, 1, 11);
    head = log.push(head, 1, 2000, 9.5, 12);
    const other = log.push(-1, 0, 1500, 1, 13);
    head = log.push(head, 0, 500, 1, -14);
    expect(log.capacity).toBe(4);
    expect(log.byteLength).toBe(128);
    expect(list(log, head)).toEqual([
      [0, 500, 1, -14],
      [1, 2000, 9.5, 12],
      [0, 1000, 1, 11],
    ]);
    expect(list(log, other)).toEqual([[0, 1500, 1, 13]]);
    expect(log.has(head, 1, 12)).toBe(true);
    expect(log.has(head, 0, 12)).toBe(false);
    expect(log.has(other, 0, 11)).toBe(false);
    expect(log.has(-1, 0, 11)).toBe(false);
    expect(log.latest(head)).toBe(2000);
    expect(log.latest(-1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('counts released entries as garbage and copies live lists in order', () => {
    const log = new OutcomeLog();
    let a = -1;
    for (let i = 0; i < 3; i++) a = log.push(a, i, 1000 + i, i, 100 + i);
    const b = log.push(-1, 0, 7, 7, 7);
    expect(log.release(b)).toBe(1);
    expect(log.garbage).toBe(1);
    const fresh = new OutcomeLog();
    const copied = log.copyList(a, fresh);
    expect(fresh.length).toBe(3);
    expect(list(fresh, copied)).toEqual(list(log, a));
    expect(log.copyList(-1, fresh)).toBe(-1);
  });

  it('encodes typed arrays as base64, subarrays included', () => {
    const arr = new Int32Array([1, -1, 7, 9]);
    expect(b64(arr.subarray(1, 3))).toBe('/////wcAAAA=');
    expect([...new Int32Array(unb64('/////wcAAAA='))]).toEqual([-1, 7]);
  });
});
