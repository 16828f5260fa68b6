import { describe, expect, it } from 'vitest';
import type { ArmMoments } from '../stats/experiment/arm-moments.js';
import type { ExperimentConfig } from './experiment-config.js';
import { readExperimentResult } from './experiment-reading.js';
import { judgeExperiment } from './judge-experiment.js';
import { parseExperiment } from './parse-experiment.js';

const NOW = new Date('2026-11-05T00:00:00Z');

function config(extra: Record<string, unknown> = {}): ExperimentConfig {
  const parsed = parseExperiment({
    id: 'proactive-chat',
    arms: { treatment: 0.5, holdout: 0.5 },
    metrics: [
      { name: 'converted', type: 'binary', event_type: 'conversion' },
      { name: 'revenue', type: 'continuous', event_type: 'conversion', value: '/value' },
    ],
    // The readings under test are about units; the outcome gate has its own test in judge-experiment.
    min_outcomes_per_arm: 0,
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
}

/** A binary metric: n units, k of them converted. */
const binary = (n: number, k: number): ArmMoments => ({
  n,
  nonZero: k,
  sumY: k,
  sumY2: k,
  sumX: 0,
  sumX2: 0,
  sumXY: 0,
});
const continuous = (n: number, sumY: number, sumY2: number): ArmMoments => ({
  n,
  nonZero: n,
  sumY,
  sumY2,
  sumX: 0,
  sumX2: 0,
  sumXY: 0,
});

function read(c: ExperimentConfig, moments: ArmMoments[][], armUnits: number[], crossed = 0): string[] {
  return readExperimentResult(c, judgeExperiment(c, moments, { armUnits, crossed, pending: 0 }, NOW));
}

describe('readExperimentResult', () => {
  it('says an experiment without units has none', () => {
    const c = config();
    const none = [binary(0, 0), continuous(0, 0, 0)];
    expect(read(c, [none, none], [0, 0])).toEqual([
      'No units exposed yet.',
      'converted: collecting, an arm has fewer than two units.',
      'revenue: collecting, an arm has fewer than two units.',
    ]);
  });

  it('says it is collecting while an arm is short of units', () => {
    const c = config();
    expect(
      read(
        c,
        [
          [binary(50, 20), continuous(50, 5000, 600_000)],
          [binary(40, 4), continuous(40, 4000, 500_000)],
        ],
        [50, 40],
        3,
      ),
    ).toEqual([
      '90 units: treatment 50 (55.6%, expected 50.0%), holdout 40 (44.4%, expected 50.0%).',
      '3 units were exposed to more than one arm and are left out.',
      'converted: treatment 40.0% against holdout 10.0%. Collecting: each arm needs 100 units before any verdict (treatment has 50, holdout 40).',
      'revenue: treatment 100 against holdout 100. Collecting: each arm needs 100 units before any verdict (treatment has 50, holdout 40).',
    ]);
  });

  it('says a clear lift is positive', () => {
    const c = config();
    expect(
      read(
        c,
        [
          [binary(2000, 600), continuous(2000, 200_000, 30_000_000)],
          [binary(2000, 200), continuous(2000, 150_000, 20_000_000)],
        ],
        [2000, 2000],
      ),
    ).toEqual([
      '4,000 units: treatment 2,000 (50.0%, expected 50.0%), holdout 2,000 (50.0%, expected 50.0%).',
      'converted: treatment 30.0% against holdout 10.0%; always-valid 95% interval +200.0% (+131.3% to +268.7%). treatment does better: the interval lies above zero, and it keeps its coverage however often it is read.',
      'revenue: treatment 100 against holdout 75; always-valid 95% interval +33.3% (+23.1% to +43.6%). treatment does better: the interval lies above zero, and it keeps its coverage however often it is read.',
    ]);
  });

  it('says a lift whose interval includes zero is inconclusive, with the fixed-horizon interval', () => {
    const c = config();
    expect(
      read(
        c,
        [
          [binary(2000, 420), continuous(2000, 200_000, 30_000_000)],
          [binary(2000, 400), continuous(2000, 200_000, 30_000_000)],
        ],
        [2000, 2000],
      ).slice(1),
    ).toEqual([
      'converted: treatment 21.0% against holdout 20.0%; always-valid 95% interval +5.0% (−14.9% to +24.9%). Inconclusive so far: the interval includes zero (fixed-horizon +5.0% (−7.8% to +17.8%), valid only when read once at a planned end).',
      'revenue: treatment 100 against holdout 100; always-valid 95% interval +0.0% (−6.8% to +6.8%). Inconclusive so far: the interval includes zero (fixed-horizon +0.0% (−4.4% to +4.4%), valid only when read once at a planned end).',
    ]);
  });

  it('says nothing can be trusted under a sample ratio mismatch', () => {
    const c = config();
    expect(
      read(
        c,
        [
          [binary(1400, 420), continuous(1400, 0, 0)],
          [binary(600, 60), continuous(600, 0, 0)],
        ],
        [1400, 600],
      ),
    ).toEqual([
      '2,000 units: treatment 1,400 (70.0%, expected 50.0%), holdout 600 (30.0%, expected 50.0%).',
      "Sample ratio mismatch (chi-square p = 1.4e-71, largest deviation 40.0% of an arm's expected share): assignment or logging is broken, so no lift here can be trusted until the cause is found.",
      'converted: treatment 30.0% against holdout 10.0%; always-valid 95% interval +200.0% (+78.9% to +321.1%). Not to be trusted while the split fails its sample-ratio check.',
      // No relative lift against a control mean of 0: the absolute one.
      'revenue: treatment 0 against holdout 0; always-valid 95% interval +0 (+0 to +0). Not to be trusted while the split fails its sample-ratio check.',
    ]);
  });

  it('tolerates a significant deviation smaller than min_deviation', () => {
    const c = config({ srm: { min_deviation: 0.05 } });
    const lines = read(
      c,
      [
        [binary(52_000, 5200), continuous(52_000, 0, 0)],
        [binary(48_000, 4800), continuous(48_000, 0, 0)],
      ],
      [52_000, 48_000],
    );
    expect(lines[1]).toMatch(
      /^The split deviates significantly but by less than 5\.0% of any arm's share \(p = \d\.\de-\d+\): tolerated\.$/,
    );
    expect(lines.slice(2).every((l) => l.includes('Inconclusive so far'))).toBe(true);
  });

  it('says a treatment that does worse is negative, at the configured level', () => {
    const c = config({ alpha: 0.1 });
    const lines = read(
      c,
      [
        [binary(2000, 200), continuous(2000, 0, 0)],
        [binary(2000, 600), continuous(2000, 0, 0)],
      ],
      [2000, 2000],
    );
    expect(lines[1]).toMatch(
      /^converted: treatment 10\.0% against holdout 30\.0%; always-valid 90% interval −66\.7% /,
    );
    expect(lines[1]).toMatch(/treatment does worse: the interval lies below zero/);
  });
});
