import { safeToken } from '../../monitor/findings/safe-token.js';
import { benjaminiHochberg } from '../stats/distribution/benjamini-hochberg.js';
import { chiSquareHomogeneity } from '../stats/distribution/chi-square.js';
import { jensenShannonDistance } from '../stats/distribution/jensen-shannon.js';
import { ksTwoSample } from '../stats/distribution/kolmogorov-smirnov.js';
import { populationStabilityIndex } from '../stats/distribution/psi.js';
import { binIndex, quantileEdges } from '../stats/distribution/quantile-edges.js';
import { wassersteinDistance } from '../stats/distribution/wasserstein.js';
import type { ReferenceWindows, WindowRead } from '../stats/reference-windows.js';
import type { AttributeStats } from './attribute-stats.js';
import type { AttributeKind, DistributionMonitorConfig, MonitoredAttribute } from './distribution-config.js';

/** What one evaluation found for one attribute (before the k-of-n gate). */
export interface AttributeVerdict {
  attribute: string;
  type: AttributeKind;
  /** The test behind the p-value: chi-square on counts, or Kolmogorov-Smirnov on the raw values of small samples. */
  test: 'chi_square' | 'kolmogorov_smirnov';
  statistic: number;
  pValue: number;
  pAdjusted: number;
  /** The effect size gate: Jensen-Shannon distance (categorical) or Wasserstein distance over the reference's standard deviation (numeric). */
  effect: { name: 'jensen_shannon' | 'wasserstein_normed'; value: number; threshold: number };
  psi: { value: number; threshold: number };
  /** Both windows within the small-sample limit: the test decides, with the effect as a gate. */
  smallSample: boolean;
  drifted: boolean;
  nReference: number;
  nCurrent: number;
  window: { from: string; to: string };
  reference: { kind: string; from: string; to: string };
  /** The values (or bins) whose share moved most, at most three. */
  topShifts: Array<{ value: string; reference_share: number; current_share: number }>;
  explanation: string;
}

/** Equal-count edges from the values seen first; they stay frozen so per-event updates remain O(log bins). */
export function freezeEdges(values: readonly number[], bins: number): number[] {
  return quantileEdges(values, bins);
}

export function numericBin(edges: readonly number[], value: number): number {
  return binIndex(edges, value);
}

interface WatchedView {
  attr: MonitoredAttribute;
  windows: ReferenceWindows<AttributeStats>;
  edges: number[] | null;
}

type Partial = Omit<AttributeVerdict, 'pAdjusted' | 'drifted' | 'explanation'>;

/**
 * Every watched attribute of one contract judged at `nowMs`: undefined for
 * one without a reference yet or with fewer than `minSamples` events in
 * either window. p-values are adjusted together (Benjamini-Hochberg at
 * `alpha`). With small samples a drift needs the adjusted p-value under
 * alpha and the effect over its threshold; with large ones, where any
 * difference is significant, the effect (or the PSI) over its threshold.
 */
export function judgeContract(
  config: DistributionMonitorConfig,
  watched: readonly WatchedView[],
  nowMs: number,
): Array<AttributeVerdict | undefined> {
  const partial = watched.map((w) => judgeOne(config, w, nowMs));
  const present = partial.flatMap((p, i) => (p ? [i] : []));
  const adjusted = benjaminiHochberg(present.map((i) => partial[i]!.pValue));
  const out: Array<AttributeVerdict | undefined> = partial.map(() => undefined);
  present.forEach((i, k) => {
    const p = partial[i]!;
    const pAdjusted = adjusted[k]!;
    const large = p.effect.value >= p.effect.threshold;
    const drifted = p.smallSample
      ? pAdjusted < config.alpha && large
      : large || p.psi.value >= p.psi.threshold;
    out[i] = { ...p, pAdjusted, drifted, explanation: explain(p, pAdjusted, drifted, config) };
  });
  return out;
}

function judgeOne(config: DistributionMonitorConfig, w: WatchedView, nowMs: number): Partial | undefined {
  const ref = w.windows.reference(nowMs);
  if (ref === null) return undefined;
  const cur = w.windows.current(nowMs);
  if (ref.stats.n < config.minSamples || cur.stats.n < config.minSamples) return undefined;
  const base = {
    attribute: w.attr.pointer,
    type: w.attr.type,
    nReference: ref.stats.n,
    nCurrent: cur.stats.n,
    window: span(cur),
    reference: { kind: config.reference, ...span(ref) },
  };
  if (w.attr.type === 'categorical') {
    const keys = [...new Set([...ref.stats.categories.keys(), ...cur.stats.categories.keys()])];
    const r = keys.map((k) => ref.stats.categories.get(k) ?? 0);
    const c = keys.map((k) => cur.stats.categories.get(k) ?? 0);
    const chi = chiSquareHomogeneity(r, c);
    return {
      ...base,
      test: 'chi_square',
      statistic: chi.statistic,
      pValue: chi.pValue,
      effect: {
        name: 'jensen_shannon',
        value: jensenShannonDistance(r, c),
        threshold: config.thresholds.jensenShannon,
      },
      psi: { value: populationStabilityIndex(r, c), threshold: config.thresholds.psi },
      smallSample: ref.stats.n <= config.smallSample && cur.stats.n <= config.smallSample,
      topShifts: shifts(
        keys.map((k) => safeToken(k)),
        r,
        c,
      ),
    };
  }
  const edges = w.edges;
  if (edges === null) return undefined;
  const sd = Math.sqrt(Math.max(0, ref.stats.sumSquares / ref.stats.n - (ref.stats.sum / ref.stats.n) ** 2));
  const small = ref.stats.values !== null && cur.stats.values !== null;
  let test: Partial['test'];
  let statistic: number;
  let pValue: number;
  let distance: number;
  if (small) {
    const ks = ksTwoSample(ref.stats.values!, cur.stats.values!);
    test = 'kolmogorov_smirnov';
    statistic = ks.statistic;
    pValue = ks.pValue;
    distance = wassersteinDistance(ref.stats.values!, cur.stats.values!);
  } else {
    const chi = chiSquareHomogeneity(ref.stats.bins, cur.stats.bins);
    test = 'chi_square';
    statistic = chi.statistic;
    pValue = chi.pValue;
    // Each bin's values stand at the bin's mean, weighted by its count.
    distance = wassersteinDistance(binMeans(ref.stats), binMeans(cur.stats), ref.stats.bins, cur.stats.bins);
  }
  const labels = ref.stats.bins.map((_, i) => binLabel(edges, i));
  return {
    ...base,
    test,
    statistic,
    pValue,
    effect: {
      name: 'wasserstein_normed',
      value: sd > 0 ? distance / sd : distance === 0 ? 0 : Number.POSITIVE_INFINITY,
      threshold: config.thresholds.wasserstein,
    },
    psi: {
      value: populationStabilityIndex(ref.stats.bins, cur.stats.bins),
      threshold: config.thresholds.psi,
    },
    smallSample: small,
    topShifts: shifts(labels, ref.stats.bins, cur.stats.bins),
  };
}

function span(read: WindowRead<unknown>): { from: string; to: string } {
  return { from: new Date(read.fromMs).toISOString(), to: new Date(read.toMs).toISOString() };
}

function binMeans(s: AttributeStats): number[] {
  return s.bins.map((n, i) => (n > 0 ? s.binSums[i]! / n : 0));
}

/** Bin i of edges e (the outer bins open-ended): [e[i], e[i+1]), below e[1] for the first, from e[n-2] for the last. */
function binLabel(edges: readonly number[], i: number): string {
  const fmt = (x: number) => Number(x.toPrecision(4)).toString();
  const last = edges.length - 2;
  if (last <= 0) return 'all values';
  if (i === 0) return `< ${fmt(edges[1]!)}`;
  if (i >= last) return `>= ${fmt(edges[last]!)}`;
  return `[${fmt(edges[i]!)}, ${fmt(edges[i + 1]!)})`;
}

function shifts(labels: readonly string[], r: readonly number[], c: readonly number[]): Partial['topShifts'] {
  const rn = r.reduce((a, b) => a + b, 0) || 1;
  const cn = c.reduce((a, b) => a + b, 0) || 1;
  return labels
    .map((value, i) => ({ value, reference_share: r[i]! / rn, current_share: c[i]! / cn }))
    .sort(
      (a, b) => Math.abs(b.current_share - b.reference_share) - Math.abs(a.current_share - a.reference_share),
    )
    .slice(0, 3)
    .map((s) => ({
      value: s.value,
      reference_share: Number(s.reference_share.toFixed(4)),
      current_share: Number(s.current_share.toFixed(4)),
    }));
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => (Math.abs(x) >= 0.001 || x === 0 ? x.toFixed(3) : x.toExponential(1));

function explain(p: Partial, pAdjusted: number, drifted: boolean, config: DistributionMonitorConfig): string {
  const what = p.type === 'categorical' ? 'the mix of values' : 'the distribution of values';
  const ref = p.reference.kind.replaceAll('_', ' ');
  const verdict = drifted ? 'has changed' : 'has not changed enough to report';
  const effect = `${p.effect.name.replaceAll('_', ' ')} ${num(p.effect.value)} (threshold ${p.effect.threshold})`;
  const test = `${p.test.replaceAll('_', '-')} p = ${num(p.pValue)}, ${num(pAdjusted)} adjusted for the contract's attributes (alpha ${config.alpha})`;
  const moved = p.topShifts
    .filter((s) => s.current_share !== s.reference_share)
    .map((s) => `${s.value} ${pct(s.reference_share)} -> ${pct(s.current_share)}`)
    .join(', ');
  return `${p.attribute}: ${what} ${verdict} against the ${ref} (${p.nCurrent} events now, ${p.nReference} then): ${effect}; ${test}; PSI ${num(p.psi.value)}${moved ? `. Largest shifts: ${moved}` : ''}`;
}
