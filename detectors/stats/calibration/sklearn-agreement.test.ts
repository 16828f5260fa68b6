import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quantileEdges, uniformEdges } from './bin-edges.js';
import {
  accuracy,
  brierScore,
  calibrationSummary,
  expectedCalibrationError,
  maximumCalibrationError,
  meanConfidence,
  reliabilityDiagram,
} from './calibration-metrics.js';
import { ReliabilityBins } from './reliability-bins.js';

// Written by fixtures/make_fixtures.py from scikit-learn 1.2.1 and numpy 1.24.
interface Curve {
  strategy: 'uniform' | 'quantile';
  nBins: number;
  edges: number[];
  count: number[];
  sumConfidence: number[];
  correct: number[];
  probTrue: number[];
  probPred: number[];
  ece: number;
  mce: number;
}

interface Fixture {
  name: string;
  confidence: number[];
  correct: number[];
  brier: number;
  accuracy: number;
  meanConfidence: number;
  curves: Curve[];
}

const load = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`fixtures/${file}`, import.meta.url), 'utf8'));
const fixtures = (load('index.json') as string[]).map((name) => load(`${name}.json`) as Fixture);

/** Sums agree to 1e-12 relative (the order of additions is the same as numpy's bincount, so usually exactly). */
const SUM_TOLERANCE = 1e-12;
/** Metrics agree to 1e-9 absolute. */
const METRIC_TOLERANCE = 1e-9;

function binsFor(f: Fixture, c: Curve): ReliabilityBins {
  // scikit-learn's quantile edges come from the sample it bins; here they are frozen edges.
  const bins = c.strategy === 'uniform' ? ReliabilityBins.uniform(c.nBins) : ReliabilityBins.frozen(c.edges);
  fillFrom(bins, f);
  return bins;
}

function fillFrom(bins: ReliabilityBins, f: Fixture): void {
  for (let i = 0; i < f.confidence.length; i++) bins.add(f.confidence[i]!, f.correct[i] === 1);
}

function expectClose(actual: ArrayLike<number>, expected: number[], tolerance: (x: number) => number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((x, i) => {
    expect(Math.abs(actual[i]! - x)).toBeLessThanOrEqual(tolerance(x));
  });
}

it('has the fixtures it expects', () => {
  expect(fixtures.map((f) => f.name)).toEqual([
    'well-calibrated',
    'over-confident',
    'under-confident',
    'tiny',
    'empty-bins',
    'edges',
    'ties',
  ]);
});

describe.each(fixtures)('agrees with scikit-learn on the $name sample', (f) => {
  it.each(f.curves)('bins as calibration_curve does: $strategy, $nBins bins', (c) => {
    const bins = binsFor(f, c);
    if (c.strategy === 'uniform') expect(bins.edges).toEqual(c.edges);
    expect(Array.from(bins.count)).toEqual(c.count);
    expect(Array.from(bins.correct)).toEqual(c.correct);
    expectClose(bins.sumConfidence, c.sumConfidence, (x) => SUM_TOLERANCE * Math.max(1, x));
  });

  it.each(f.curves)('gives its curve, ECE and MCE: $strategy, $nBins bins', (c) => {
    const bins = binsFor(f, c);
    const rows = reliabilityDiagram(bins);
    const close = () => METRIC_TOLERANCE;
    expectClose(
      rows.map((r) => r.accuracy),
      c.probTrue,
      close,
    );
    expectClose(
      rows.map((r) => r.meanConfidence),
      c.probPred,
      close,
    );
    expect(rows.map((r) => r.count)).toEqual(c.count.filter((n) => n > 0));
    for (const r of rows) {
      expect(r.lower).toBeLessThanOrEqual(r.upper);
      expect(c.edges).toContain(r.lower);
      expect(c.edges).toContain(r.upper);
    }
    expect(Math.abs(expectedCalibrationError(bins) - c.ece)).toBeLessThanOrEqual(METRIC_TOLERANCE);
    expect(Math.abs(maximumCalibrationError(bins) - c.mce)).toBeLessThanOrEqual(METRIC_TOLERANCE);
  });

  it('gives brier_score_loss, accuracy and mean confidence', () => {
    const bins = binsFor(f, f.curves[0]!);
    expect(Math.abs(brierScore(bins) - f.brier)).toBeLessThanOrEqual(METRIC_TOLERANCE);
    expect(Math.abs(accuracy(bins) - f.accuracy)).toBeLessThanOrEqual(METRIC_TOLERANCE);
    expect(Math.abs(meanConfidence(bins) - f.meanConfidence)).toBeLessThanOrEqual(METRIC_TOLERANCE);
    expect(calibrationSummary(bins).count).toBe(f.confidence.length);
  });

  it('computes the same edges as numpy', () => {
    for (const c of f.curves) {
      // Exactly: the same arithmetic in the same order.
      expect(c.strategy === 'uniform' ? uniformEdges(c.nBins) : quantileEdges(f.confidence, c.nBins)).toEqual(
        c.edges,
      );
    }
  });

  it('bins the same with quantile edges computed here from the sample', () => {
    for (const c of f.curves.filter((c) => c.strategy === 'quantile')) {
      const bins = ReliabilityBins.quantile(f.confidence, c.nBins);
      fillFrom(bins, f);
      expect(Array.from(bins.count)).toEqual(c.count);
    }
  });
});
