import type { ExperimentConfig } from './experiment-config.js';
import type { Comparison, ExperimentResult, LiftReading, MetricResult } from './judge-experiment.js';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${pct(Math.abs(x))}`;
/** Three significant digits without trailing zeros after the point: 0.5, 12, 100 (not 1), 1,250. */
const num = (x: number) =>
  Math.abs(x) >= 1000
    ? Math.round(x).toLocaleString('en-US')
    : x
        .toPrecision(3)
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, '');
const signedNum = (x: number) => `${x >= 0 ? '+' : '−'}${num(Math.abs(x))}`;
const count = (n: number) => n.toLocaleString('en-US');

function level(alpha: number): string {
  return `${+((1 - alpha) * 100).toFixed(2)}%`;
}

function formatValue(metric: MetricResult, x: number): string {
  return metric.type === 'binary' ? pct(x) : num(x);
}

/** The lift and its interval in the metric's terms: relative when it means something, absolute otherwise. */
function liftText(c: Comparison, pick: 'fixed' | 'sequential'): string {
  const r: LiftReading = c.relative ?? c.absolute;
  const i = r[pick];
  const fmt = c.relative ? signedPct : signedNum;
  return `${fmt(i.estimate)} (${fmt(i.lower)} to ${fmt(i.upper)})`;
}

function comparisonLine(config: ExperimentConfig, metric: MetricResult, c: Comparison): string {
  const t = metric.arms.find((a) => a.arm === c.arm)!;
  const ctl = metric.arms.find((a) => a.arm === c.control)!;
  const head = `${metric.name}: ${c.arm} ${t.mean === null ? 'n/a' : formatValue(metric, t.mean)} against ${c.control} ${ctl.mean === null ? 'n/a' : formatValue(metric, ctl.mean)}`;
  const lvl = level(config.alpha);
  const always = `always-valid ${lvl} interval ${liftText(c, 'sequential')}`;
  const fixed = `fixed-horizon ${liftText(c, 'fixed')}, valid only when read once at a planned end`;
  const cuped = c.cuped ? ' (CUPED-adjusted)' : '';
  switch (c.verdict) {
    case 'collecting':
      if (config.minOutcomesPerArm === 0) {
        return `${head}. Collecting: each arm needs ${count(config.minUnitsPerArm)} units before any verdict (${c.arm} has ${count(t.units)}, ${c.control} ${count(ctl.units)}).`;
      }
      return `${head}. Collecting: each arm needs ${count(config.minUnitsPerArm)} units, ${count(config.minOutcomesPerArm)} of them with an outcome, before any verdict (${c.arm} has ${count(t.units)} and ${count(t.withOutcome)}, ${c.control} ${count(ctl.units)} and ${count(ctl.withOutcome)}).`;
    case 'untrusted':
      return `${head}; ${always}${cuped}. Not to be trusted while the split fails its sample-ratio check.`;
    case 'positive':
      return `${head}; ${always}${cuped}. ${c.arm} does better: the interval lies above zero, and it keeps its coverage however often it is read.`;
    case 'negative':
      return `${head}; ${always}${cuped}. ${c.arm} does worse: the interval lies below zero, and it keeps its coverage however often it is read.`;
    default:
      return `${head}; ${always}${cuped}. Inconclusive so far: the interval includes zero (${fixed}).`;
  }
}

/** What the numbers say, in a few plain sentences, for `GET /v1/experiments/:id`. */
export function readExperimentResult(config: ExperimentConfig, result: ExperimentResult): string[] {
  const lines: string[] = [];
  if (result.units.total === 0) {
    lines.push('No units exposed yet.');
  } else {
    const split = result.arms
      .map((a) => `${a.arm} ${count(a.units)} (${pct(a.share ?? 0)}, expected ${pct(a.expectedShare)})`)
      .join(', ');
    lines.push(`${count(result.units.total)} units: ${split}.`);
  }
  if (result.units.crossed > 0) {
    lines.push(`${count(result.units.crossed)} units were exposed to more than one arm and are left out.`);
  }
  const srm = result.srm;
  if (srm.mismatch) {
    lines.push(
      `Sample ratio mismatch (chi-square p = ${srm.pValue.toExponential(1)}, largest deviation ${pct(srm.deviation)} of an arm's expected share): assignment or logging is broken, so no lift here can be trusted until the cause is found.`,
    );
  } else if (result.units.total > 0 && srm.pValue < config.srm.pValue) {
    lines.push(
      `The split deviates significantly but by less than ${pct(config.srm.minDeviation)} of any arm's share (p = ${srm.pValue.toExponential(1)}): tolerated.`,
    );
  }
  for (const metric of result.metrics) {
    if (metric.comparisons.length === 0) {
      lines.push(`${metric.name}: collecting, an arm has fewer than two units.`);
      continue;
    }
    for (const c of metric.comparisons) lines.push(comparisonLine(config, metric, c));
  }
  return lines;
}
