import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../monitor/pipeline/envelope.js';
import { parseContractText } from '../../monitor/registry/parse-contract.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import type { InspectContext } from '../detector.js';
import { gaussianVectors } from '../stats/embedding/gaussian-vectors.js';
import { createEmbeddingDriftDetector, type EmbeddingReading } from './embedding-detector.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const DIMS = 16;

function resolved(section: string): ResolvedContract {
  const contract = parseContractText(`
contract: conversation.message
version: 1.1.0
status: active
owner: team@example.com
schema: { type: object }
monitors:
  embedding_drift: ${section}
`);
  return { contract, validate: (() => true) as never, declared: new Set() };
}

function ctx(rc: ResolvedContract, ms: number): InspectContext {
  const envelope = { occurred_ms: ms, occurred_at: new Date(ms).toISOString() } as Envelope;
  return { envelope, contract: rc, validationErrors: null, mode: 'observe', now: new Date(ms) };
}

type Detector = ReturnType<typeof createEmbeddingDriftDetector>;

/** `perMinute` events a minute for `minutes` minutes from `from`, carrying the given vectors in turn. */
function feed(
  d: Detector,
  rc: ResolvedContract,
  from: number,
  minutes: number,
  perMinute: number,
  vectors: readonly ArrayLike<number>[],
): void {
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < perMinute; i++) {
      const ms = from + m * MIN + Math.floor((i * MIN) / perMinute);
      d.inspect!({ embedding: Array.from(vectors[m * perMinute + i]!) }, ctx(rc, ms));
    }
  }
}

/** 300 vectors (a 10-minute window at 30 a minute) sharing a common direction, as sentence embeddings do. */
const steady = (seed: number) => gaussianVectors(300, DIMS, seed, 1, 1);
/** The same, with half the components' means moved by one standard deviation. */
const shifted = (seed: number) =>
  gaussianVectors(
    300,
    DIMS,
    seed,
    Array.from({ length: DIMS }, (_, d) => (d < DIMS / 2 ? 2 : 1)),
    1,
  );

const SECTION =
  '{ attribute: /embedding, window_minutes: 10, sub_window_minutes: 1, min_samples: 100, reservoir: 100, consecutive: { k: 2, n: 3 } }';

/** A reading without what depends on the clock and on earlier evaluations (the k-of-n gate). */
const verdictOf = ({ judgedAt: _, evaluationMs: __, firing: ___, ...rest }: EmbeddingReading) => rest;

describe('embedding drift detector', () => {
  it('stays quiet while the embeddings hold, collecting until it has a reference', () => {
    const rc = resolved(SECTION);
    const d = createEmbeddingDriftDetector();
    feed(d, rc, T0, 10, 30, steady(1));
    expect(d.evaluate!(new Date(T0 + 10 * MIN - 1))).toEqual([]);
    expect(d.states().map((s) => [s.state, s.reading])).toEqual([['collecting', null]]);
    // Each evaluation may find a drift by chance (alpha 0.01); k of n keeps such chances from being reported.
    const seen: string[] = [];
    for (let w = 1; w <= 5; w++) {
      feed(d, rc, T0 + w * 10 * MIN, 10, 30, steady(1 + w));
      expect(d.evaluate!(new Date(T0 + (w + 1) * 10 * MIN - 1))).toEqual([]);
      seen.push(d.states()[0]!.state);
    }
    expect(seen.filter((s) => s === 'stable').length).toBeGreaterThanOrEqual(4);
    expect(seen).not.toContain('firing');
    const r = d.readings()[0]!;
    expect(r).toMatchObject({
      contract: 'conversation.message',
      attribute: '/embedding',
      dims: DIMS,
      nCurrent: 300,
      nReference: 300,
      sampleCurrent: 100,
      sampleReference: 100,
      drifted: false,
      firing: false,
    });
    expect(r.pValue).toBeGreaterThan(0.01);
    expect(r.meanCosineDistance!).toBeLessThan(0.05);
    expect(r.explanation).toMatch(
      /^\/embedding: the embeddings have not drifted .* against the previous window/,
    );
  });

  it('reports a shifted mean once k of n windows drift, against a frozen baseline, with evidence and no vectors', () => {
    const rc = resolved(
      SECTION.replace('attribute: /embedding', 'attribute: /embedding, reference: baseline'),
    );
    const d = createEmbeddingDriftDetector();
    feed(d, rc, T0, 10, 30, steady(1));
    expect(d.evaluate!(new Date(T0 + 10 * MIN - 1))).toEqual([]);
    feed(d, rc, T0 + 10 * MIN, 10, 30, shifted(2));
    expect(d.evaluate!(new Date(T0 + 20 * MIN - 1))).toEqual([]);
    expect(d.states()[0]!.state).toBe('drifting');
    feed(d, rc, T0 + 20 * MIN, 10, 30, shifted(3));
    const findings = d.evaluate!(new Date(T0 + 30 * MIN - 1));
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f).toMatchObject({
      detector: 'embedding',
      kind: 'embedding_drift',
      severity: 'warning',
      contract: 'conversation.message',
      version: '1.1.0',
      attribute: '/embedding',
      occurred_at: new Date(T0 + 20 * MIN).toISOString(),
    });
    const e = f.evidence as Record<string, number | Record<string, unknown>>;
    expect(e).toMatchObject({
      alpha: 0.01,
      permutations: 200,
      dims: DIMS,
      thresholds: { cosine_distance: 0.05, drifted_share: 0.2, component: 0.1 },
      n_current: 300,
      n_reference: 300,
      sample_current: 100,
      sample_reference: 100,
      window: { from: new Date(T0 + 20 * MIN).toISOString(), to: new Date(T0 + 30 * MIN).toISOString() },
      reference: {
        kind: 'baseline',
        from: new Date(T0).toISOString(),
        to: new Date(T0 + 10 * MIN).toISOString(),
      },
      seed: 0,
    });
    // The 8 moved components, and perhaps an unmoved one: at 300 vectors a window, a standardized
    // mean difference has a standard error of 0.08, so 0.1 is crossed by chance.
    expect(e.drifted_components).toBeGreaterThanOrEqual(8);
    expect(e.drifted_share).toBe((e.drifted_components as number) / DIMS);
    expect(e.p_value).toBeLessThan(0.01);
    expect(e.mmd2).toBeGreaterThan(0);
    expect(e.sigma).toBeGreaterThan(0);
    expect(e.mean_cosine_distance).toBeGreaterThan(0.03);
    expect(f.message).toMatch(/^\/embedding: the embeddings have drifted against the baseline/);
    expect(f.message).toMatch(
      /% of components \(\d+ of 16\) moved their mean by more than 0\.1 standard deviations/,
    );
    // Numbers and windows only: no array in the evidence (a vector would be one).
    expect(JSON.stringify(f.evidence)).not.toMatch(/\[/);
    expect(d.states()[0]!.state).toBe('firing');
    // Reported once per window length while it lasts.
    feed(d, rc, T0 + 30 * MIN, 5, 30, shifted(4));
    expect(d.evaluate!(new Date(T0 + 35 * MIN - 1))).toEqual([]);
    expect(d.states()[0]!.state).toBe('firing');
  });

  it('judges unchanged windows once: a repeat evaluation neither recomputes nor counts again towards k of n', () => {
    const rc = resolved(
      SECTION.replace('attribute: /embedding', 'attribute: /embedding, reference: baseline'),
    );
    const d = createEmbeddingDriftDetector();
    feed(d, rc, T0, 10, 30, steady(1));
    d.evaluate!(new Date(T0 + 10 * MIN - 1));
    feed(d, rc, T0 + 10 * MIN, 10, 30, shifted(2));
    expect(d.evaluate!(new Date(T0 + 20 * MIN - 1000))).toEqual([]);
    const first = d.readings()[0]!;
    expect(first.drifted).toBe(true);
    // Same sub-window, no new vector: the same reading, and still one drifting evaluation of k = 2.
    expect(d.evaluate!(new Date(T0 + 20 * MIN - 1))).toEqual([]);
    expect(d.readings()[0]).toBe(first);
    expect(d.states()[0]!.state).toBe('drifting');
    // One more vector is a change: judged again, and now k of n.
    d.inspect!({ embedding: Array.from(shifted(9)[0]!) }, ctx(rc, T0 + 20 * MIN - 500));
    expect(d.evaluate!(new Date(T0 + 20 * MIN - 1))).toHaveLength(1);
    expect(d.readings()[0]!.nCurrent).toBe(301);
  });

  it('ignores and counts vectors of another length, of anything but finite numbers, and late ones', () => {
    const rc = resolved(SECTION);
    const d = createEmbeddingDriftDetector();
    const at = (embedding: unknown, ms = T0) => d.inspect!({ embedding }, ctx(rc, ms));
    expect(d.states()).toEqual([]);
    at(Array(DIMS).fill(0.5));
    at([0.1, 0.2]);
    at(Array(DIMS + 1).fill(0.5));
    at([...Array(DIMS - 1).fill(0.5), Number.NaN]);
    at([...Array(DIMS - 1).fill(0.5), '0.5']);
    at([]);
    at('0.1,0.2');
    at(null);
    at(undefined);
    // The live windows reach two windows back (20 minutes) from the newest event.
    at(Array(DIMS).fill(0.5), T0 + 30 * MIN);
    at(Array(DIMS).fill(0.5), T0 + 5 * MIN);
    expect(d.states()).toEqual([
      {
        contract: 'conversation.message',
        attribute: '/embedding',
        type: 'embedding',
        state: 'collecting',
        dims: DIMS,
        accepted: 2,
        ignored: { wrongDimension: 2, invalid: 4, late: 1 },
        reading: null,
      },
    ]);
  });

  it('says it is collecting until both windows hold min_samples vectors', () => {
    const rc = resolved(SECTION);
    const d = createEmbeddingDriftDetector();
    feed(d, rc, T0, 10, 9, steady(1));
    feed(d, rc, T0 + 10 * MIN, 10, 9, steady(2));
    expect(d.evaluate!(new Date(T0 + 20 * MIN - 1))).toEqual([]);
    expect(d.states()[0]).toMatchObject({ state: 'collecting', accepted: 180, reading: null });
    expect(d.readings()).toEqual([]);
    // 100 in the current window, still 90 in the reference.
    feed(d, rc, T0 + 20 * MIN, 10, 10, steady(3));
    d.evaluate!(new Date(T0 + 30 * MIN - 1));
    expect(d.states()[0]).toMatchObject({ state: 'collecting', accepted: 280 });
    feed(d, rc, T0 + 30 * MIN, 10, 10, steady(4));
    d.evaluate!(new Date(T0 + 40 * MIN - 1));
    expect(d.states()[0]).toMatchObject({ state: 'stable', accepted: 380 });
    expect(d.readings()[0]).toMatchObject({ nCurrent: 100, nReference: 100 });
  });

  it('gives the same verdict for the same events and seed, whatever was evaluated before, and another with another seed', () => {
    const run = (seed: number, evaluations: number[]) => {
      const rc = resolved(SECTION.replace('attribute: /embedding', `attribute: /embedding, seed: ${seed}`));
      const d = createEmbeddingDriftDetector();
      feed(d, rc, T0, 10, 30, steady(1));
      feed(d, rc, T0 + 10 * MIN, 10, 30, shifted(2));
      for (const ms of evaluations) d.evaluate!(new Date(ms));
      return verdictOf(d.readings()[0]!);
    };
    const end = T0 + 20 * MIN - 1;
    const once = run(7, [end]);
    expect(run(7, [end])).toEqual(once);
    expect(run(7, [T0 + 15 * MIN, T0 + 18 * MIN, end])).toEqual(once);
    const other = run(8, [end]);
    expect(other.seed).toBe(8);
    expect(other.mmd2).not.toBe(once.mmd2);
  });

  it('leaves contracts without the section alone', () => {
    const d = createEmbeddingDriftDetector();
    const plain = resolved(SECTION);
    const none: ResolvedContract = {
      ...plain,
      contract: { ...plain.contract, contract: 'other', monitors: {} },
    };
    expect(d.inspect!({ embedding: [1, 2] }, ctx(none, T0))).toEqual([]);
    expect(d.evaluate!(new Date(T0))).toEqual([]);
    expect(d.states()).toEqual([]);
  });
});
