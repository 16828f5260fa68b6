import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../monitor/pipeline/envelope.js';
import { parseContractText } from '../../monitor/registry/parse-contract.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import type { InspectContext } from '../detector.js';
import { seededRandom } from '../stats/seeded-random.js';
import { createDistributionDetector } from './distribution-detector.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');

function resolved(section: string): ResolvedContract {
  const contract = parseContractText(`
contract: conversation.ended
version: 1.1.0
status: active
owner: team@example.com
schema: { type: object }
monitors:
  distribution: ${section}
`);
  return { contract, validate: (() => true) as never, declared: new Set() };
}

function ctx(rc: ResolvedContract, ms: number): InspectContext {
  const envelope = { occurred_ms: ms, occurred_at: new Date(ms).toISOString() } as Envelope;
  return { envelope, contract: rc, validationErrors: null, mode: 'observe', now: new Date(ms) };
}

/** `perMinute` events a minute for `minutes` minutes from `from`, each made by `make`. */
function feed(
  detector: ReturnType<typeof createDistributionDetector>,
  rc: ResolvedContract,
  from: number,
  minutes: number,
  perMinute: number,
  make: (i: number) => Record<string, unknown>,
): void {
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < perMinute; i++) {
      const ms = from + m * MIN + Math.floor((i * MIN) / perMinute);
      detector.inspect!(make(m * perMinute + i), ctx(rc, ms));
    }
  }
}

const SECTION =
  '{ attributes: { /resolution: categorical, /handle_time_seconds: numeric }, window_minutes: 10, sub_window_minutes: 1, min_samples: 100, consecutive: { k: 2, n: 3 } }';

describe('distribution detector', () => {
  it('stays quiet while the mix holds, and says it is collecting before it has a reference', () => {
    const rc = resolved(SECTION);
    const d = createDistributionDetector();
    const r = seededRandom(1);
    const steady = () => ({
      resolution: r() < 0.7 ? 'resolved' : r() < 0.5 ? 'unresolved' : 'abandoned',
      handle_time_seconds: 60 + 240 * r(),
    });
    feed(d, rc, T0, 10, 30, steady);
    expect(d.evaluate!(new Date(T0 + 10 * MIN - 1))).toEqual([]);
    expect(d.states().map((s) => s.state)).toEqual(['collecting', 'collecting']);
    for (let w = 1; w <= 4; w++) {
      feed(d, rc, T0 + w * 10 * MIN, 10, 30, steady);
      expect(d.evaluate!(new Date(T0 + (w + 1) * 10 * MIN - 1))).toEqual([]);
    }
    expect(d.states().map((s) => s.state)).toEqual(['stable', 'stable']);
    const reading = d.readings()[0]!;
    expect(reading).toMatchObject({
      attribute: '/resolution',
      test: 'chi_square',
      smallSample: true,
      drifted: false,
    });
    expect(reading.pValue).toBeGreaterThan(0.001);
  });

  it('reports a lasting shift once k of n windows drift, with the statistics and an explanation', () => {
    const rc = resolved(SECTION);
    const d = createDistributionDetector();
    const r = seededRandom(2);
    const before = () => ({
      resolution: r() < 0.7 ? 'resolved' : 'unresolved',
      handle_time_seconds: 60 + 240 * r(),
    });
    const after = () => ({
      resolution: r() < 0.3 ? 'resolved' : 'unresolved',
      handle_time_seconds: 200 + 400 * r(),
    });
    feed(d, rc, T0, 10, 30, before);
    d.evaluate!(new Date(T0 + 10 * MIN - 1));
    // The previous window is the reference: the first shifted window drifts, the gate waits for a second.
    feed(d, rc, T0 + 10 * MIN, 10, 30, after);
    expect(d.evaluate!(new Date(T0 + 20 * MIN - 1))).toEqual([]);
    expect(d.states().map((s) => s.state)).toEqual(['drifting', 'drifting']);
    feed(d, rc, T0 + 20 * MIN, 10, 30, () => ({
      resolution: r() < 0.05 ? 'resolved' : 'unresolved',
      handle_time_seconds: 800 + 400 * r(),
    }));
    const findings = d.evaluate!(new Date(T0 + 30 * MIN - 1));
    expect(findings.map((f) => [f.kind, f.attribute])).toEqual([
      ['distribution_drift', '/resolution'],
      ['distribution_drift', '/handle_time_seconds'],
    ]);
    const f = findings[0]!;
    expect(f.evidence).toMatchObject({ test: 'chi_square', n_current: 300, n_reference: 300 });
    expect((f.evidence as { p_adjusted: number }).p_adjusted).toBeLessThan(0.05);
    expect(f.message).toMatch(/\/resolution: the mix of values has changed against the previous window/);
    expect(f.message).toMatch(/Largest shifts: resolved/);
    const numeric = findings[1]!.evidence as { test: string; effect: { name: string; value: number } };
    expect(numeric.test).toBe('kolmogorov_smirnov');
    expect(numeric.effect.name).toBe('wasserstein_normed');
    expect(numeric.effect.value).toBeGreaterThan(0.1);
    // Reported once per window length while it lasts.
    expect(d.evaluate!(new Date(T0 + 30 * MIN))).toEqual([]);
  });

  it('switches to bins and distances above the small-sample limit, and keeps traffic values out of the evidence', () => {
    const rc = resolved(
      '{ attributes: { /disposition: categorical, /wait_seconds: { type: numeric, bins: 8 } }, window_minutes: 5, min_samples: 100, small_sample: 200, consecutive: { k: 1, n: 1 } }',
    );
    const d = createDistributionDetector();
    const r = seededRandom(3);
    feed(d, rc, T0, 5, 200, () => ({
      disposition: r() < 0.5 ? 'billing' : 'jane.doe@example.com',
      wait_seconds: r() * 10,
    }));
    d.evaluate!(new Date(T0 + 5 * MIN - 1));
    feed(d, rc, T0 + 5 * MIN, 5, 200, () => ({
      disposition: r() < 0.9 ? 'billing' : 'jane.doe@example.com',
      wait_seconds: 5 + r() * 10,
    }));
    const findings = d.evaluate!(new Date(T0 + 10 * MIN - 1));
    expect(findings.map((f) => f.attribute)).toEqual(['/disposition', '/wait_seconds']);
    expect(findings.map((f) => (f.evidence as { test: string }).test)).toEqual(['chi_square', 'chi_square']);
    expect(d.readings().every((x) => !x.smallSample)).toBe(true);
    expect(JSON.stringify(findings)).not.toContain('jane.doe');
  });

  it('carries on after a restart from its snapshot, and starts afresh under a changed section', () => {
    const rc = resolved(SECTION);
    const steady = (r: () => number) => () => ({
      resolution: r() < 0.7 ? 'resolved' : 'unresolved',
      handle_time_seconds: 60 + 240 * r(),
    });
    const shifted = (r: () => number) => () => ({
      resolution: r() < 0.2 ? 'resolved' : 'unresolved',
      handle_time_seconds: 400 + 240 * r(),
    });
    const never = createDistributionDetector();
    const before = createDistributionDetector();
    const ra = seededRandom(9);
    const rb = seededRandom(9);
    for (const [d, r] of [
      [never, ra],
      [before, rb],
    ] as const) {
      feed(d, rc, T0, 10, 30, steady(r));
      d.evaluate!(new Date(T0 + 10 * MIN - 1));
      feed(d, rc, T0 + 10 * MIN, 10, 30, shifted(r));
      d.evaluate!(new Date(T0 + 20 * MIN - 1));
    }
    const after = createDistributionDetector();
    after.restore!(JSON.parse(JSON.stringify(before.snapshot!())));
    // The shift goes on: the second drifting window in three fires on both.
    const further = (r: () => number) => () => ({
      resolution: r() < 0.05 ? 'resolved' : 'unresolved',
      handle_time_seconds: 900 + 400 * r(),
    });
    feed(never, rc, T0 + 20 * MIN, 10, 30, further(ra));
    feed(after, rc, T0 + 20 * MIN, 10, 30, further(rb));
    const a = never.evaluate!(new Date(T0 + 30 * MIN - 1));
    const b = after.evaluate!(new Date(T0 + 30 * MIN - 1));
    expect(b.map((f) => f.attribute)).toEqual(a.map((f) => f.attribute));
    expect(b.length).toBe(2);
    expect(after.readings()).toEqual(never.readings());

    const changed = createDistributionDetector();
    changed.restore!(JSON.parse(JSON.stringify(before.snapshot!())));
    const other = resolved(SECTION.replace('k: 2, n: 3', 'k: 1, n: 3'));
    feed(changed, other, T0 + 20 * MIN, 10, 30, shifted(seededRandom(4)));
    changed.evaluate!(new Date(T0 + 30 * MIN - 1));
    expect(changed.states().map((s) => s.state)).toEqual(['collecting', 'collecting']);
  });

  it('counts windows toward k of n, not evaluations: a timer ticking within one window never fires alone', () => {
    const rc = resolved(SECTION);
    const d = createDistributionDetector();
    const r = seededRandom(5);
    feed(d, rc, T0, 10, 30, () => ({ resolution: r() < 0.7 ? 'resolved' : 'unresolved' }));
    d.evaluate!(new Date(T0 + 10 * MIN - 1));
    feed(d, rc, T0 + 10 * MIN, 10, 30, () => ({ resolution: r() < 0.1 ? 'resolved' : 'unresolved' }));
    for (let tick = 0; tick < 6; tick++)
      expect(d.evaluate!(new Date(T0 + 19 * MIN + tick * 5_000))).toEqual([]);
    expect(d.states()[0]!.state).toBe('drifting');
  });

  it('names the same values in every window however many there are, so a steady mix of 60 is stable', () => {
    const rc = resolved(
      '{ attributes: { /disposition: categorical }, window_minutes: 10, min_samples: 100, max_categories: 50, consecutive: { k: 1, n: 1 } }',
    );
    const d = createDistributionDetector();
    const r = seededRandom(6);
    const steady = () => ({ disposition: `code_${Math.floor(r() * 60)}` });
    for (let w = 0; w < 4; w++) {
      // Enough events that sampling noise over 51 values stays under the thresholds (about 0.05 here).
      feed(d, rc, T0 + w * 10 * MIN, 10, 300, steady);
      expect(d.evaluate!(new Date(T0 + (w + 1) * 10 * MIN - 1))).toEqual([]);
    }
    expect(d.readings()[0]!.effect.value).toBeLessThan(0.1);
  });

  it('keeps restored state it has not used yet in its next snapshot, and survives hostile values', () => {
    const rc = resolved(
      '{ attributes: { /disposition: categorical, /wait_seconds: numeric }, min_samples: 5 }',
    );
    const d = createDistributionDetector();
    feed(d, rc, T0, 3, 5, (i) => ({
      disposition: i % 2 ? 'nul\u0000here' : 'jane@example.com',
      wait_seconds: i === 3 ? 1e308 : i,
    }));
    const snap = JSON.parse(JSON.stringify(d.snapshot!()));
    expect(JSON.stringify(snap)).not.toMatch(/jane|\\u0000/);
    const restarted = createDistributionDetector();
    restarted.restore!(snap);
    expect(restarted.snapshot!()).toEqual(snap);
    expect(() => d.evaluate!(new Date(T0 + 3 * MIN))).not.toThrow();
  });

  it('ignores values of the wrong type and contracts without a monitor', () => {
    const d = createDistributionDetector();
    const plain = resolved('{ attributes: { /x: numeric } }');
    const none: ResolvedContract = {
      ...plain,
      contract: { ...plain.contract, contract: 'other', monitors: {} },
    };
    expect(d.inspect!({ x: 'not a number' }, ctx(plain, T0))).toEqual([]);
    expect(d.inspect!({ x: 1 }, ctx(none, T0))).toEqual([]);
    d.evaluate!(new Date(T0 + MIN));
    expect(d.states()).toEqual([
      {
        contract: 'conversation.ended',
        attribute: '/x',
        type: 'numeric',
        state: 'collecting',
        reading: null,
      },
    ]);
  });
});
