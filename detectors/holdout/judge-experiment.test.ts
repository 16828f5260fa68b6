import { describe, expect, it } from 'vitest';
import type { ArmMoments } from '../stats/experiment/arm-moments.js';
import type { ExperimentConfig } from './experiment-config.js';
import { judgeExperiment } from './judge-experiment.js';
import { parseExperiment } from './parse-experiment.js';

const NOW = new Date('2026-11-05T00:00:00Z');

function config(extra: Record<string, unknown> = {}): ExperimentConfig {
  const parsed = parseExperiment({
    id: 'proactive-chat',
    arms: { a: 0.25, b: 0.25, holdout: 0.5 },
    metrics: [{ name: 'converted', type: 'binary', event_type: 'conversion' }],
    min_outcomes_per_arm: 0,
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
}

const binary = (n: number, k: number): ArmMoments => ({
  n,
  nonZero: k,
  sumY: k,
  sumY2: k,
  sumX: 0,
  sumX2: 0,
  sumXY: 0,
});

describe('judgeExperiment', () => {
  it('compares each treatment arm with the control and gives each a verdict', () => {
    const c = config();
    const r = judgeExperiment(
      c,
      [[binary(1000, 300)], [binary(1000, 100)], [binary(2000, 200)]],
      { armUnits: [1000, 1000, 2000], crossed: 4, pending: 2 },
      NOW,
    );
    expect(r.id).toBe('proactive-chat');
    expect(r.evaluatedAt).toBe('2026-11-05T00:00:00.000Z');
    expect(r.units).toEqual({ total: 4000, crossed: 4, pending: 2 });
    expect(r.arms).toEqual([
      { arm: 'a', expectedShare: 0.25, units: 1000, share: 0.25 },
      { arm: 'b', expectedShare: 0.25, units: 1000, share: 0.25 },
      { arm: 'holdout', expectedShare: 0.5, units: 2000, share: 0.5 },
    ]);
    expect(r.srm.mismatch).toBe(false);
    const m = r.metrics[0]!;
    expect(m.arms.map((a) => [a.arm, a.units, a.mean])).toEqual([
      ['a', 1000, 0.3],
      ['b', 1000, 0.1],
      ['holdout', 2000, 0.1],
    ]);
    expect(m.comparisons.map((x) => [x.arm, x.control, x.verdict])).toEqual([
      ['a', 'holdout', 'positive'],
      ['b', 'holdout', 'inconclusive'],
    ]);
    const a = m.comparisons[0]!;
    expect(a.absolute.fixed.estimate).toBeCloseTo(0.2, 12);
    expect(a.relative!.fixed.estimate).toBeCloseTo(2, 12);
    // The always-valid interval is wider than the fixed-horizon one.
    expect(a.absolute.sequential.lower).toBeLessThan(a.absolute.fixed.lower);
    expect(a.absolute.sequential.lower).toBeGreaterThan(0);
    expect(a.cuped).toBe(false);
  });

  it('is collecting below min_units_per_arm, untrusted under a mismatch, negative below zero', () => {
    const c = config({ min_units_per_arm: 500 });
    const collecting = judgeExperiment(
      config({ min_units_per_arm: 1001 }),
      [[binary(1000, 300)], [binary(1000, 100)], [binary(2000, 200)]],
      { armUnits: [1000, 1000, 2000], crossed: 0, pending: 0 },
      NOW,
    );
    expect(collecting.metrics[0]!.comparisons.map((x) => x.verdict)).toEqual(['collecting', 'collecting']);

    const untrusted = judgeExperiment(
      c,
      [[binary(2000, 600)], [binary(1000, 100)], [binary(2000, 200)]],
      { armUnits: [2000, 1000, 2000], crossed: 0, pending: 0 },
      NOW,
    );
    expect(untrusted.srm.mismatch).toBe(true);
    expect(untrusted.metrics[0]!.comparisons.map((x) => x.verdict)).toEqual(['untrusted', 'untrusted']);

    const negative = judgeExperiment(
      c,
      [[binary(1000, 20)], [binary(1000, 100)], [binary(2000, 200)]],
      { armUnits: [1000, 1000, 2000], crossed: 0, pending: 0 },
      NOW,
    );
    expect(negative.metrics[0]!.comparisons[0]!.verdict).toBe('negative');
  });

  it('is collecting until every arm has min_outcomes_per_arm units with an outcome', () => {
    const c = config({ min_outcomes_per_arm: 100 });
    const units = { armUnits: [1000, 1000, 2000], crossed: 0, pending: 0 };
    const short = judgeExperiment(
      c,
      [[binary(1000, 300)], [binary(1000, 99)], [binary(2000, 200)]],
      units,
      NOW,
    );
    expect(short.metrics[0]!.comparisons.map((x) => x.verdict)).toEqual(['positive', 'collecting']);
    expect(short.metrics[0]!.arms.map((a) => a.withOutcome)).toEqual([300, 99, 200]);
    const enough = judgeExperiment(
      c,
      [[binary(1000, 300)], [binary(1000, 100)], [binary(2000, 200)]],
      units,
      NOW,
    );
    expect(enough.metrics[0]!.comparisons.map((x) => x.verdict)).toEqual(['positive', 'inconclusive']);
  });

  it('skips arms below two units and has no relative lift against a control mean of 0', () => {
    const c = config();
    const r = judgeExperiment(
      c,
      [[binary(1, 1)], [binary(300, 30)], [binary(300, 0)]],
      { armUnits: [1, 300, 300], crossed: 0, pending: 0 },
      NOW,
    );
    const m = r.metrics[0]!;
    expect(m.comparisons.map((x) => x.arm)).toEqual(['b']);
    expect(m.comparisons[0]!.relative).toBeNull();
    expect(m.arms[0]).toEqual({ arm: 'a', units: 1, withOutcome: 1, mean: 1, variance: null });

    const empty = judgeExperiment(
      c,
      [[binary(0, 0)], [binary(0, 0)], [binary(0, 0)]],
      { armUnits: [0, 0, 0], crossed: 0, pending: 0 },
      NOW,
    );
    expect(empty.arms.map((a) => a.share)).toEqual([null, null, null]);
    expect(empty.metrics[0]!.arms[0]).toEqual({
      arm: 'a',
      units: 0,
      withOutcome: 0,
      mean: null,
      variance: null,
    });
    expect(empty.srm).toMatchObject({ pValue: 1, mismatch: false });
  });
});
