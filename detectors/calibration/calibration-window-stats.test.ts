import { describe, expect, it } from 'vitest';
import { ReliabilityBins } from '../stats/calibration/reliability-bins.js';
import { addLabelled, addPrediction, calibrationStatsOps } from './calibration-window-stats.js';

describe('calibration window statistics', () => {
  const ops = calibrationStatsOps(2);
  const template = ReliabilityBins.uniform(4);

  it('keeps every prediction for the expected accuracy and the labelled ones in bins, per intent up to the cap', () => {
    const s = ops.empty();
    addPrediction(s, 0.9);
    addPrediction(s, 0.6);
    addPrediction(s, 0.3);
    addLabelled(s, template, 0.9, true, 'refund', 2);
    addLabelled(s, template, 0.6, false, 'billing', 2);
    addLabelled(s, template, 0.3, false, 'greeting', 2);
    expect(s.predictions).toBe(3);
    expect(s.sumConfidence).toBeCloseTo(1.8, 12);
    expect(s.bins!.total).toBe(3);
    expect([...s.intents.keys()]).toEqual(['refund', 'billing']);
  });

  it('merges without sharing arrays, and round-trips through plain data', () => {
    const a = ops.empty();
    addPrediction(a, 0.8);
    addLabelled(a, template, 0.8, true, 'refund', 2);
    const b = ops.empty();
    addPrediction(b, 0.7);
    const merged = ops.merge(ops.merge(ops.empty(), a), b);
    expect(merged.predictions).toBe(2);
    expect(merged.bins!.total).toBe(1);
    merged.bins!.add(0.1, false);
    expect(a.bins!.total).toBe(1);
    const back = ops.fromJSON(JSON.parse(JSON.stringify(ops.toJSON(merged))));
    expect(back.bins!.toJSON()).toEqual(merged.bins!.toJSON());
    expect(back.intents.get('refund')!.total).toBe(1);
    expect(back.predictions).toBe(2);
  });
});
