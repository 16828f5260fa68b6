import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../monitor/pipeline/envelope.js';
import { parseContractText } from '../../monitor/registry/parse-contract.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import type { InspectContext, MonitorSnapshot } from '../detector.js';
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

  it('judges unchanged windows once, and counts windows towards k of n, not evaluations', () => {
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
    // One more vector is a change: judged again, but in the same window, so still one of k = 2.
    d.inspect!({ embedding: Array.from(shifted(9)[0]!) }, ctx(rc, T0 + 20 * MIN - 500));
    expect(d.evaluate!(new Date(T0 + 20 * MIN - 1))).toEqual([]);
    expect(d.readings()[0]!.nCurrent).toBe(301);
    // The next window drifts from the baseline too: k of n.
    feed(d, rc, T0 + 20 * MIN, 10, 30, shifted(3));
    expect(d.evaluate!(new Date(T0 + 30 * MIN - 1))).toHaveLength(1);
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

  it('starts again at a new dimension after min_samples vectors of it in a row, so one odd first vector does not stop it', () => {
    const rc = resolved(SECTION);
    const d = createEmbeddingDriftDetector();
    d.inspect!({ embedding: [0.1, 0.2, 0.3] }, ctx(rc, T0));
    for (let i = 0; i < 99; i++) d.inspect!({ embedding: Array(DIMS).fill(i / 100) }, ctx(rc, T0 + i));
    expect(d.states()[0]).toMatchObject({ dims: 3, accepted: 1 });
    d.inspect!({ embedding: Array(DIMS).fill(0.5) }, ctx(rc, T0 + 100));
    expect(d.states()[0]).toMatchObject({ dims: DIMS, accepted: 2 });
    expect(d.states()[0]!.ignored.wrongDimension).toBe(99);
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

describe('embedding drift detector across a restart', () => {
  /** Past the reservoir (40) every sub-window (60 a minute): the restored samples must go on replacing alike. */
  const RESTART =
    '{ attribute: /embedding, window_minutes: 10, sub_window_minutes: 1, min_samples: 100, reservoir: 40, permutations: 100, consecutive: { k: 2, n: 3 } }';

  type Step = { ms: number; vector: ArrayLike<number> } | { evaluate: number };

  function events(from: number, minutes: number, vectors: readonly ArrayLike<number>[]): Step[] {
    return Array.from({ length: minutes * 60 }, (_, i) => ({ ms: from + i * 1000, vector: vectors[i]! }));
  }

  function run(d: Detector, rc: ResolvedContract, steps: readonly Step[]) {
    const out: unknown[] = [];
    for (const s of steps) {
      if ('evaluate' in s) {
        const findings = d.evaluate!(new Date(s.evaluate)).map(({ id: _, ...f }) => f);
        const states = d.states().map((m) => ({ ...m, reading: m.reading && timeless(m.reading) }));
        out.push(findings, d.readings().map(timeless), states);
      } else {
        d.inspect!({ embedding: Array.from(s.vector) }, ctx(rc, s.ms));
      }
    }
    return out;
  }

  /** How long a judgement took is the one thing two runs do not share. */
  const timeless = (r: EmbeddingReading) => ({ ...r, evaluationMs: 0 });
  const stored = (d: Detector) =>
    JSON.parse(JSON.stringify(d.snapshot!(), (k, v) => (k === 'evaluationMs' ? 0 : v)));

  const steadyN = (n: number, seed: number) => gaussianVectors(n, DIMS, seed, 1, 1);
  const shiftedN = (n: number, seed: number) =>
    gaussianVectors(
      n,
      DIMS,
      seed,
      Array.from({ length: DIMS }, (_, d) => (d < DIMS / 2 ? 2 : 1)),
      1,
    );

  for (const reference of ['previous_window', 'baseline']) {
    it(`reads after a restart as if it had never stopped (${reference})`, () => {
      const section = RESTART.replace(
        'attribute: /embedding',
        `attribute: /embedding, reference: ${reference}`,
      );
      const before: Step[] = [
        ...events(T0, 10, steadyN(600, 1)),
        { evaluate: T0 + 10 * MIN - 1 },
        ...events(T0 + 10 * MIN, 10, steadyN(600, 2)),
        { evaluate: T0 + 20 * MIN - 1 },
        ...events(T0 + 20 * MIN, 10, shiftedN(600, 3)),
        { evaluate: T0 + 30 * MIN - 1 },
        // Stopped 45 vectors into a sub-window, its sample past capacity (40), after a judgement.
        ...events(T0 + 30 * MIN, 5.75, shiftedN(345, 4)),
        { evaluate: T0 + 35 * MIN + 46_000 },
      ];
      const after: Step[] = [
        // The monitor is created on its contract's first event; an ignored one leaves the windows unchanged,
        // so the next evaluation keeps the restored verdict and does not count it again.
        { ms: T0 + 35 * MIN + 46_000, vector: [1, 2] },
        { evaluate: T0 + 35 * MIN + 47_000 },
        ...events(T0 + 35 * MIN + 45_000, 4.25, shiftedN(255, 5)),
        { evaluate: T0 + 40 * MIN - 1 },
        ...events(T0 + 40 * MIN, 10, shiftedN(600, 6)),
        { evaluate: T0 + 45 * MIN },
        { evaluate: T0 + 50 * MIN - 1 },
        ...events(T0 + 50 * MIN, 10, steadyN(600, 7)),
        { evaluate: T0 + 60 * MIN - 1 },
      ];

      const never = createEmbeddingDriftDetector();
      const rc = resolved(section);
      run(never, rc, before);
      const snapshot = JSON.parse(JSON.stringify(never.snapshot!()));
      const expected = run(never, rc, after);

      const restarted = createEmbeddingDriftDetector();
      restarted.restore!(snapshot);
      const got = run(restarted, resolved(section), after);
      expect(got).toEqual(expected);
      expect(stored(restarted)).toEqual(stored(never));
      // Not trivially equal: drift was judged after the restart, and a gate that fired reported it.
      const readings = expected.filter((_, i) => i % 3 === 1).flat() as EmbeddingReading[];
      expect(readings.some((r) => r.drifted)).toBe(true);
      expect(readings.some((r) => r.firing)).toBe(true);
      expect(restarted.states()[0]).toMatchObject({ accepted: 3600, ignored: { wrongDimension: 1 } });
    });
  }

  it('starts afresh when the section changed, not when only its key order did', () => {
    const rc = resolved(RESTART);
    const d = createEmbeddingDriftDetector();
    run(d, rc, events(T0, 10, steadyN(600, 1)));
    d.inspect!({ embedding: 'not a vector' }, ctx(rc, T0 + 10 * MIN));
    const snapshot: MonitorSnapshot[] = JSON.parse(JSON.stringify(d.snapshot!()));
    const first = (section: string) => {
      const fresh = createEmbeddingDriftDetector();
      fresh.restore!(snapshot);
      fresh.inspect!({ embedding: Array(DIMS).fill(0.5) }, ctx(resolved(section), T0 + 10 * MIN));
      return fresh.states()[0]!;
    };
    expect(first(RESTART)).toMatchObject({ accepted: 601, ignored: { invalid: 1 } });
    const reordered = `{ reservoir: 40, ${RESTART.slice(1).replace(' reservoir: 40,', '')}`;
    expect(reordered).not.toBe(RESTART);
    expect(first(reordered)).toMatchObject({ accepted: 601 });
    expect(first(RESTART.replace('min_samples: 100', 'min_samples: 120'))).toMatchObject({
      accepted: 1,
      ignored: { wrongDimension: 0, invalid: 0, late: 0 },
    });
  });

  it('keeps a snapshot until its contract is seen, and starts afresh from one it cannot read', () => {
    const rc = resolved(RESTART);
    const d = createEmbeddingDriftDetector();
    run(d, rc, events(T0, 2, steadyN(120, 1)));
    const snapshot: MonitorSnapshot[] = JSON.parse(JSON.stringify(d.snapshot!()));
    const quiet = createEmbeddingDriftDetector();
    quiet.restore!(snapshot);
    expect(quiet.states()).toEqual([]);
    // Nothing seen since: carried on to the next restart as it was.
    expect(quiet.snapshot!()).toEqual(snapshot);

    const state = snapshot[0]!.state as Record<string, unknown>;
    const broken = createEmbeddingDriftDetector();
    broken.restore!([
      { contract: 'conversation.message', state: { ...state, windows: { buckets: [[1, {}]] } } },
    ]);
    broken.inspect!({ embedding: Array(DIMS).fill(0.5) }, ctx(rc, T0 + 2 * MIN));
    expect(broken.states()[0]).toMatchObject({ accepted: 1 });
  });

  it('measures a full window at the default shape (384 dimensions, 500 vectors a sample)', () => {
    const dims = 384;
    const rc = resolved('{ attribute: /embedding }');
    const d = createEmbeddingDriftDetector();
    // 60-minute windows of 5-minute sub-windows, two windows live: 24 samples, each past its 500.
    const perSub = 520;
    const vectors = gaussianVectors(24 * perSub, dims, 1, 0.05, 1);
    const step = (5 * MIN) / perSub;
    for (let i = 0; i < vectors.length; i++) {
      d.inspect!({ embedding: Array.from(vectors[i]!) }, ctx(rc, T0 + Math.floor(i * step)));
    }
    const end = T0 + 120 * MIN - 1;
    d.evaluate!(new Date(end));

    let started = performance.now();
    const text = JSON.stringify(d.snapshot!());
    const writeMs = performance.now() - started;
    started = performance.now();
    const back = createEmbeddingDriftDetector();
    back.restore!(JSON.parse(text));
    back.inspect!({ embedding: 'not a vector' }, ctx(rc, end));
    const readMs = performance.now() - started;
    // The same numbers written as JSON decimals, for one sample.
    const decimal = JSON.stringify(vectors.slice(0, 500).map((v) => Array.from(v))).length;
    const mb = (n: number) => (n / 1e6).toFixed(1);
    console.log(
      `embedding snapshot, 24 sub-windows x ${perSub} vectors x ${dims} dims: ${mb(text.length)} MB ` +
        `(${mb(text.length / 24)} MB a sub-window; one sample as JSON decimals would be ${mb(decimal)} MB); ` +
        `stringify ${writeMs.toFixed(0)} ms, parse and restore ${readMs.toFixed(0)} ms`,
    );
    expect(text.length).toBeLessThan(80e6);
    expect(back.states()).toEqual(d.states().map((s) => ({ ...s, ignored: { ...s.ignored, invalid: 1 } })));
  }, 60_000);
});
