import { describe, expect, it } from 'vitest';
import { LabelJoin } from './label-join.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-03-02T09:00:00Z');

describe('LabelJoin', () => {
  it('joins a label that comes within the TTL, once', () => {
    const j = new LabelJoin<string>({ ttlMs: HOUR, maxPending: 10 });
    expect(j.addPrediction('a', T0, 'refund')).toEqual({ status: 'added', joined: null });
    expect(j.match('a', T0 + 30 * MIN, 'refund')).toEqual({
      status: 'joined',
      prediction: 'refund',
      predictionMs: T0,
      label: 'refund',
    });
    expect(j.match('a', T0 + 31 * MIN, 'billing')).toEqual({ status: 'duplicate' });
    expect(j.addPrediction('a', T0, 'refund')).toEqual({ status: 'duplicate' });
    expect(j.counts()).toMatchObject({
      predictions: 1,
      joined: 1,
      duplicateLabels: 1,
      duplicatePredictions: 1,
      pending: 0,
    });
  });

  it('counts a label past the TTL as late, and a prediction nobody labelled as expired', () => {
    const j = new LabelJoin<string>({ ttlMs: HOUR, maxPending: 10 });
    j.addPrediction('a', T0, 'x');
    j.addPrediction('b', T0 + MIN, 'y');
    // The label itself moves event time on, but is judged against its prediction first.
    expect(j.match('a', T0 + HOUR + 1, 'x')).toEqual({ status: 'late' });
    expect(j.counts()).toMatchObject({ late: 1, joined: 0, expired: 1, pending: 1 });
    j.advance(T0 + 2 * HOUR);
    expect(j.counts()).toMatchObject({ expired: 2, pending: 0 });
    // Swept out: no longer told apart from an unknown prediction.
    expect(j.match('b', T0 + 2 * HOUR, 'y')).toEqual({ status: 'unknown' });
  });

  it('holds a label that comes before its prediction, and counts it unmatched when none comes', () => {
    const j = new LabelJoin<string>({ ttlMs: HOUR, maxPending: 10, holdMs: 15 * MIN });
    expect(j.match('early', T0, 'x')).toEqual({ status: 'unknown' });
    j.hold('early', T0, 'x');
    j.hold('early', T0, 'x');
    expect(j.addPrediction('early', T0 - MIN, 'x')).toEqual({
      status: 'added',
      joined: { prediction: 'x', predictionMs: T0 - MIN, label: 'x' },
    });
    j.hold('ghost', T0 + MIN, 'y');
    expect(j.counts()).toMatchObject({ held: 1, unmatched: 0, duplicateLabels: 1, joined: 1 });
    j.advance(T0 + 17 * MIN);
    expect(j.counts()).toMatchObject({ held: 0, unmatched: 1 });
  });

  it('evicts the oldest arrival when full, counting it when it was still waiting', () => {
    const j = new LabelJoin<number>({ ttlMs: HOUR, maxPending: 2 });
    j.addPrediction('a', T0, 1);
    j.match('a', T0, 'x');
    j.addPrediction('b', T0, 2);
    j.addPrediction('c', T0, 3);
    expect(j.counts()).toMatchObject({ evicted: 0, pending: 2 });
    j.addPrediction('d', T0, 4);
    expect(j.counts()).toMatchObject({ evicted: 1, pending: 2, predictions: 4 });
    expect(j.match('b', T0, 'x')).toEqual({ status: 'unknown' });
  });

  it('carries on from its plain data: waiting predictions, held labels, event time and counters', () => {
    const opts = { ttlMs: HOUR, maxPending: 10, holdMs: 15 * MIN };
    const j = new LabelJoin<number>(opts);
    j.addPrediction('a', T0, 1);
    j.addPrediction('b', T0 + MIN, 2);
    j.match('a', T0 + 2 * MIN, 'x');
    j.hold('early', T0 + 3 * MIN, 'y');
    const data = JSON.parse(JSON.stringify(j.toJSON((p) => ({ p }))));
    // A labelled prediction is kept for duplicates only, without its payload.
    expect(data.entries).toEqual([
      ['a', T0],
      ['b', T0 + MIN, { p: 2 }],
    ]);
    const back = new LabelJoin<number>(opts);
    back.restore(data, (d: { p: number }) => d.p);
    expect(back.counts()).toEqual(j.counts());
    expect(back.match('a', T0 + 4 * MIN, 'x')).toEqual({ status: 'duplicate' });
    expect(back.match('b', T0 + 4 * MIN, 'x')).toMatchObject({ status: 'joined', prediction: 2 });
    expect(back.addPrediction('early', T0 + 4 * MIN, 3)).toMatchObject({
      joined: { prediction: 3, label: 'y' },
    });
    // The watermark came back too: a step past the TTL sweeps what was restored.
    back.hold('ghost', T0 + 5 * MIN, 'z');
    back.advance(T0 + 2 * HOUR);
    expect(back.counts()).toMatchObject({ held: 0, unmatched: 1, pending: 0 });
  });
});
