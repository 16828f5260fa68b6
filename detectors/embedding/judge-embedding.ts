import { embeddingDrift } from '../stats/embedding/embedding-drift.js';
import type { ReferenceWindows, WindowRead } from '../stats/reference-windows.js';
import type { EmbeddingMonitorConfig } from './embedding-config.js';
import { type EmbeddingStats, windowSample } from './embedding-stats.js';

/** What one evaluation found for a contract's embedding (before the k-of-n gate). No vector in it. */
export interface EmbeddingVerdict {
  attribute: string;
  dims: number;
  /** Unbiased MMD^2 between the two samples (RBF kernel), and its permutation p-value. */
  mmd2: number;
  pValue: number;
  /** Bandwidth of the RBF kernel (median heuristic on the pooled samples). */
  sigma: number;
  permutations: number;
  /** 1 - cos between the two windows' mean vectors; null when a mean is the zero vector (no direction). */
  meanCosineDistance: number | null;
  /** Components whose standardized mean difference exceeds the component threshold, and their share of dims. */
  driftedComponents: number;
  driftedShare: number;
  alpha: number;
  thresholds: { cosineDistance: number; driftedShare: number; component: number };
  /** Vectors in each window (the means cover all of them) and in each sample (the MMD sees those). */
  nCurrent: number;
  nReference: number;
  sampleCurrent: number;
  sampleReference: number;
  window: { from: string; to: string };
  reference: { kind: string; from: string; to: string };
  seed: number;
  drifted: boolean;
  explanation: string;
}

/**
 * The embedding of one contract judged at `nowMs`, or undefined while there
 * is no reference yet or either window holds fewer than `minSamples` vectors.
 *
 * A drift needs the MMD test to reject at `alpha` AND the means to have moved
 * enough (cosine distance or share of drifted components over its
 * threshold). MMD alone sees any change, shape or spread too, but MMD^2 has
 * no scale a threshold could be written in (it depends on the kernel's
 * bandwidth and the dimension), so it stands for significance; the two mean
 * measures, read from every vector of both windows, stand for size. A change
 * of spread that leaves the means in place shows in the reading (p-value)
 * without being reported.
 *
 * Both mean measures are noisy in small windows: the standardized mean
 * difference of a component between two windows of n vectors has a standard
 * error of about sqrt(2 / n), 0.1 at n = 200, so at the default min_samples a
 * third of the components cross the 0.1 threshold by chance and the p-value
 * alone decides; from about 1000 vectors a window the share measures size.
 *
 * The cosine distance of the means says something only when the embeddings
 * share a common direction, as most sentence-embedding models' do; for
 * centred embeddings the means are near zero, their cosine distance is noise
 * and the p-value and the drifted share carry the verdict.
 */
export function judgeEmbedding(
  config: EmbeddingMonitorConfig,
  windows: ReferenceWindows<EmbeddingStats>,
  nowMs: number,
): EmbeddingVerdict | undefined {
  const ref = windows.reference(nowMs);
  if (ref === null) return undefined;
  const cur = windows.current(nowMs);
  const rs = ref.stats;
  const cs = cur.stats;
  if (rs.mean.count < config.minSamples || cs.mean.count < config.minSamples) return undefined;
  const rSample = windowSample(rs);
  const cSample = windowSample(cs);
  if (rSample === null || cSample === null || rSample.vectors.length < 2 || cSample.vectors.length < 2)
    return undefined;
  const t = config.thresholds;
  const drift = embeddingDrift(
    { sample: rSample.vectors, mean: rs.mean },
    { sample: cSample.vectors, mean: cs.mean },
    { permutations: config.permutations, seed: config.seed, componentThreshold: t.component },
  );
  const cosine = Number.isNaN(drift.meanCosineDistance) ? null : drift.meanCosineDistance;
  const significant = drift.mmd.pValue < config.alpha;
  const moved =
    (cosine !== null && cosine >= t.cosineDistance) || drift.driftedComponentShare >= t.driftedShare;
  const verdict: Omit<EmbeddingVerdict, 'explanation'> = {
    attribute: config.attribute,
    dims: rs.mean.dims,
    mmd2: drift.mmd.mmd2,
    pValue: drift.mmd.pValue,
    sigma: drift.mmd.sigma,
    permutations: drift.mmd.permutations,
    meanCosineDistance: cosine,
    driftedComponents: drift.driftedComponents,
    driftedShare: drift.driftedComponentShare,
    alpha: config.alpha,
    thresholds: { ...t },
    nCurrent: cs.mean.count,
    nReference: rs.mean.count,
    sampleCurrent: cSample.vectors.length,
    sampleReference: rSample.vectors.length,
    window: span(cur),
    reference: { kind: config.reference, ...span(ref) },
    seed: config.seed,
    drifted: significant && moved,
  };
  return { ...verdict, explanation: explain(verdict, significant, moved) };
}

function span(read: WindowRead<unknown>): { from: string; to: string } {
  return { from: new Date(read.fromMs).toISOString(), to: new Date(read.toMs).toISOString() };
}

const num = (x: number) => (Math.abs(x) >= 0.001 || x === 0 ? x.toFixed(3) : x.toExponential(1));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function explain(v: Omit<EmbeddingVerdict, 'explanation'>, significant: boolean, moved: boolean): string {
  const ref = v.reference.kind.replaceAll('_', ' ');
  const verdict =
    significant && moved
      ? 'have drifted'
      : significant
        ? 'differ in distribution, but their mean has not moved enough to report'
        : 'have not drifted (the two samples cannot be told apart)';
  const sizes = `${v.nCurrent} vectors now, ${v.nReference} then; samples of ${v.sampleCurrent} and ${v.sampleReference}; ${v.dims} dimensions`;
  const test = `MMD² ${num(v.mmd2)}, permutation p = ${num(v.pValue)} (alpha ${v.alpha}, ${v.permutations} permutations, RBF sigma ${num(v.sigma)})`;
  const cosine =
    v.meanCosineDistance === null
      ? 'the mean direction is undefined (a zero mean vector)'
      : `the mean direction moved by cosine distance ${num(v.meanCosineDistance)} (threshold ${v.thresholds.cosineDistance})`;
  const components = `${pct(v.driftedShare)} of components (${v.driftedComponents} of ${v.dims}) moved their mean by more than ${v.thresholds.component} standard deviations (threshold ${pct(v.thresholds.driftedShare)})`;
  return `${v.attribute}: the embeddings ${verdict} against the ${ref} (${sizes}): ${test}; ${cosine}; ${components}`;
}
