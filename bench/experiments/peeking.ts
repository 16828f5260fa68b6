import { performance } from 'node:perf_hooks';
import { EXPERIMENT_DEFAULTS } from '../../detectors/holdout/experiment-config.js';
import { DEFAULT_TUNING } from '../../detectors/stats/experiment/confidence-sequence.js';
import { type PeekingOptions, type PeekingResult, runPeekingSimulation } from './peeking-simulation.js';

/** One simulated setting; `unitsPerLook` is for the full scale's 50 looks (the horizon is kept at quick scale). */
interface Scenario {
  name: string;
  metric: PeekingOptions['metric'];
  split: [number, number];
  baseRate: number;
  effect: number;
  unitsPerLook: number;
}

const ALPHA = 0.05;
const SEED = 20240917;
const SCALES = {
  full: { experiments: 2000, looks: 50 },
  quick: { experiments: 200, looks: 20 },
} as const;
const FULL_LOOKS = SCALES.full.looks;

/**
 * A/A settings (no effect) measure false positives: 5% conversion and
 * revenue (5% buy, lognormal amounts), split 50/50 and 95/5 as a holdout is.
 * Horizons of 200k to 1M units.
 */
const NULL_SCENARIOS: Scenario[] = [
  {
    name: 'conversion 5%, 50/50',
    metric: 'binary',
    split: [50, 50],
    baseRate: 0.05,
    effect: 0,
    unitsPerLook: 4000,
  },
  {
    name: 'conversion 5%, 95/5 holdout',
    metric: 'binary',
    split: [95, 5],
    baseRate: 0.05,
    effect: 0,
    unitsPerLook: 20000,
  },
  {
    name: 'revenue, 50/50',
    metric: 'continuous',
    split: [50, 50],
    baseRate: 0.05,
    effect: 0,
    unitsPerLook: 4000,
  },
  {
    name: 'revenue, 95/5 holdout',
    metric: 'continuous',
    split: [95, 5],
    baseRate: 0.05,
    effect: 0,
    unitsPerLook: 10000,
  },
];

/**
 * Real effects, each over a horizon at which the fixed-horizon test, read
 * once at the end, has 90–95% power: what the sequential test gives up for
 * being readable at every look, and how early it decides when it does.
 */
const EFFECT_SCENARIOS: Scenario[] = [
  {
    name: 'conversion 5%, +10%, 50/50',
    metric: 'binary',
    split: [50, 50],
    baseRate: 0.05,
    effect: 0.1,
    unitsPerLook: 2000,
  },
  {
    name: 'conversion 5%, +20%, 50/50',
    metric: 'binary',
    split: [50, 50],
    baseRate: 0.05,
    effect: 0.2,
    unitsPerLook: 500,
  },
  {
    name: 'conversion 5%, +10%, 95/5 holdout',
    metric: 'binary',
    split: [95, 5],
    baseRate: 0.05,
    effect: 0.1,
    unitsPerLook: 10000,
  },
  {
    name: 'conversion 5%, +20%, 95/5 holdout',
    metric: 'binary',
    split: [95, 5],
    baseRate: 0.05,
    effect: 0.2,
    unitsPerLook: 2500,
  },
  {
    name: 'revenue, +20%, 50/50',
    metric: 'continuous',
    split: [50, 50],
    baseRate: 0.05,
    effect: 0.2,
    unitsPerLook: 1500,
  },
];

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function count(x: number | null): string {
  if (x === null) return '-';
  return Math.round(x).toLocaleString('en-US');
}

function run(
  s: Scenario,
  scale: 'full' | 'quick',
  minUnitsPerArm?: number,
  minOutcomesPerArm?: number,
): { result: PeekingResult; unitsPerLook: number } {
  const { experiments, looks } = SCALES[scale];
  // The same horizon at either scale, in fewer, larger looks when quick.
  const unitsPerLook = Math.round((s.unitsPerLook * FULL_LOOKS) / looks);
  const result = runPeekingSimulation({
    experiments,
    looks,
    unitsPerLook,
    split: s.split,
    baseRate: s.baseRate,
    effect: s.effect,
    alpha: ALPHA,
    tuning: DEFAULT_TUNING,
    seed: SEED,
    metric: s.metric,
    minUnitsPerArm,
    minOutcomesPerArm,
  });
  return { result, unitsPerLook };
}

const METHODS = [
  'fixed horizon, read once at the end',
  'fixed horizon, read at every look',
  'sequential, read at every look',
];

/**
 * Both tests are asymptotic: with a skewed metric and a small arm, the first
 * looks (a few dozen purchases in the holdout) are where the sequential
 * test's false positives come from. The holdout detector therefore gives no
 * verdict before each arm has min_units_per_arm units and
 * min_outcomes_per_arm of them with an outcome; the A/A table shows the
 * sequence read under that same gate, the detector's defaults.
 */
const MIN_UNITS_PER_ARM = EXPERIMENT_DEFAULTS.min_units_per_arm;
const MIN_OUTCOMES_PER_ARM = EXPERIMENT_DEFAULTS.min_outcomes_per_arm;
const GATED_METHOD = `sequential, as the detector gates it`;

/**
 * The peeking benchmark's report: for each A/A setting the false positive
 * rate of the fixed-horizon t-test read once, the same test read at every
 * look, and the confidence sequence read at every look, with alpha beside
 * them; for each real effect the share detected and the median time to
 * detection. Every figure is measured in this run.
 */
export function printPeekingReport(write: (line: string) => void, scale: 'full' | 'quick'): void {
  const started = performance.now();
  const { experiments, looks } = SCALES[scale];
  const margin = Math.sqrt((ALPHA * (1 - ALPHA)) / experiments);
  write(
    `Peeking: ${experiments} simulated experiments per setting, each read at ${looks} looks; alpha ${ALPHA}; ` +
      `relative lift; sequential test tuned to ${DEFAULT_TUNING} units.`,
  );
  write('');
  write(`A/A, no effect: false positive rate (binomial standard error at alpha about ${pct(margin)})`);
  const nullHeader = `${'setting'.padEnd(30)} ${'horizon'.padStart(10)}  ${'method'.padEnd(38)} ${'false pos.'.padStart(10)} ${'alpha'.padStart(6)}`;
  write(nullHeader);
  write('-'.repeat(nullHeader.length));
  for (const s of NULL_SCENARIOS) {
    const { result: r, unitsPerLook } = run(s, scale);
    const gated = run(s, scale, MIN_UNITS_PER_ARM, MIN_OUTCOMES_PER_ARM).result;
    const rates = [
      r.fixedHorizonFinalLookRejectRate,
      r.fixedHorizonRejectRate,
      r.sequentialRejectRate,
      gated.sequentialRejectRate,
    ];
    [...METHODS, GATED_METHOD].forEach((method, i) => {
      const lead =
        i === 0 ? `${s.name.padEnd(30)} ${count(unitsPerLook * looks).padStart(10)}` : ''.padEnd(41);
      write(`${lead}  ${method.padEnd(38)} ${pct(rates[i]!).padStart(10)} ${pct(ALPHA).padStart(6)}`);
    });
  }
  write('');
  write('Real effects: share of experiments detected, and median time to detection over those detected');
  const effectHeader = `${'setting'.padEnd(34)} ${'horizon'.padStart(10)}  ${'method'.padEnd(38)} ${'detected'.padStart(8)} ${'looks'.padStart(6)} ${'units'.padStart(10)}`;
  write(effectHeader);
  write('-'.repeat(effectHeader.length));
  for (const s of EFFECT_SCENARIOS) {
    const { result: r, unitsPerLook } = run(s, scale);
    const gated = run(s, scale, MIN_UNITS_PER_ARM, MIN_OUTCOMES_PER_ARM).result;
    const horizon = unitsPerLook * looks;
    const rows: Array<[rate: number, looks: number | null, units: number | null]> = [
      // Read once, it decides at the horizon.
      [r.fixedHorizonFinalLookRejectRate, looks, horizon],
      // Its peeked detections are not to be trusted (see the A/A rates); no time is given for them.
      [r.fixedHorizonRejectRate, null, null],
      [r.sequentialRejectRate, r.medianLooksToDetection, r.medianUnitsToDetection],
      [gated.sequentialRejectRate, gated.medianLooksToDetection, gated.medianUnitsToDetection],
    ];
    rows.forEach(([rate, l, u], i) => {
      const lead = i === 0 ? `${s.name.padEnd(34)} ${count(horizon).padStart(10)}` : ''.padEnd(45);
      write(
        `${lead}  ${[...METHODS, GATED_METHOD][i]!.padEnd(38)} ${pct(rate).padStart(8)} ${count(l).padStart(6)} ${count(u).padStart(10)}`,
      );
    });
  }
  write('');
  write(
    `${NULL_SCENARIOS.length + EFFECT_SCENARIOS.length} settings in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
