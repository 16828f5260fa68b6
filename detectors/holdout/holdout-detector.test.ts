import { describe, expect, it } from 'vitest';
import type { Finding } from '../../monitor/findings/finding.js';
import { readEnvelope } from '../../monitor/pipeline/envelope.js';
import { parseContractText } from '../../monitor/registry/parse-contract.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';
import type { InspectContext } from '../detector.js';
import type { ExperimentSection } from './experiment-config.js';
import { createHoldoutDetector, type HoldoutDetector } from './holdout-detector.js';
import { parseExperiment } from './parse-experiment.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-02T09:00:00Z');

function resolved(name: string): ResolvedContract {
  const text = `
contract: ${name}
version: 1.1.0
status: active
owner: team@example.com
schema: { type: object }
`;
  return { contract: parseContractText(text), validate: (() => true) as never, declared: new Set() };
}

const EXPOSURE = resolved('experiment.exposure');
const CONVERSION = resolved('conversion');
const MESSAGE = resolved('conversation.message');

const SECTION = {
  id: 'proactive-chat',
  arms: { treatment: 0.5, holdout: 0.5 },
  metrics: [{ name: 'converted', type: 'binary', event_type: 'conversion' }],
  min_outcomes_per_arm: 0,
} as const;

function define(d: HoldoutDetector, section: object = SECTION): void {
  const parsed = parseExperiment(JSON.parse(JSON.stringify(section)));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  d.define(parsed.config, parsed.section as ExperimentSection, 'config');
}

let seq = 0;

function send(
  d: HoldoutDetector,
  rc: ResolvedContract,
  event: Record<string, unknown>,
  nowMs: number,
): Finding[] {
  const full = { event_id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, ...event };
  const ctx: InspectContext = {
    envelope: readEnvelope(full),
    contract: rc,
    validationErrors: null,
    mode: 'observe',
    now: new Date(nowMs),
  };
  return d.inspect(full, ctx);
}

function expose(d: HoldoutDetector, user: string, arm: string, at: number, experiment = 'proactive-chat') {
  return send(
    d,
    EXPOSURE,
    {
      event_type: 'experiment.exposure',
      occurred_at: new Date(at).toISOString(),
      user_id: user,
      experiment_id: experiment,
      arm,
    },
    at,
  );
}

function convert(d: HoldoutDetector, user: string, at: number) {
  return send(
    d,
    CONVERSION,
    { event_type: 'conversion', occurred_at: new Date(at).toISOString(), user_id: user, value: 10 },
    at,
  );
}

/** `n` units per arm from `from`; in each arm, the rate of units that convert an hour after exposure. */
function traffic(
  d: HoldoutDetector,
  arms: Record<string, { n: number; rate: number }>,
  from = T0,
  prefix = 'user',
): number {
  let at = from;
  for (const [arm, { n, rate }] of Object.entries(arms)) {
    for (let i = 0; i < n; i++) {
      const user = `${prefix}-${arm}-${i}`;
      at += 1000;
      expose(d, user, arm, at);
      // Deterministic: i mod 100 below rate × 100 converts.
      if (i % 100 < rate * 100) convert(d, user, at + HOUR);
    }
  }
  return at + HOUR;
}

const kinds = (findings: Finding[]) => findings.map((f) => f.kind);

describe('HoldoutDetector inspect', () => {
  it('routes exposures by experiment id and counts those of unknown experiments without a finding', () => {
    const d = createHoldoutDetector();
    define(d);
    define(d, { ...SECTION, id: 'pricing', arms: { a: 0.5, b: 0.5 }, control: 'a' });
    expect(expose(d, 'alice', 'treatment', T0)).toEqual([]);
    expect(expose(d, 'alice', 'a', T0, 'pricing')).toEqual([]);
    expect(expose(d, 'alice', 'treatment', T0, 'someone-elses')).toEqual([]);
    expect(expose(d, 'bob', 'x', T0, 'someone-elses')).toEqual([]);
    expect(d.unknownExperimentExposures).toBe(2);
    expect(d.get('proactive-chat')!.events.exposures).toEqual({ new: 1 });
    expect(d.get('pricing')!.events.exposures).toEqual({ new: 1 });
    // Events of a type no experiment uses pass by.
    expect(
      send(d, MESSAGE, { user_id: 'alice', experiment_id: 'proactive-chat', arm: 'holdout' }, T0),
    ).toEqual([]);
    expect(d.get('proactive-chat')!.events.exposures).toEqual({ new: 1 });
  });

  it('reports arm_crossover and unknown_arm without the unit id', () => {
    const d = createHoldoutDetector();
    define(d);
    const user = 'alice.smith@example.com';
    expect(expose(d, user, 'treatment', T0)).toEqual([]);
    const crossover = expose(d, user, 'holdout', T0 + MIN);
    expect(kinds(crossover)).toEqual(['arm_crossover']);
    expect(crossover[0]).toMatchObject({
      detector: 'holdout',
      severity: 'warning',
      contract: 'experiment.exposure',
      attribute: '/arm',
      evidence: { experiment: 'proactive-chat' },
    });
    expect(JSON.stringify(crossover)).not.toContain('alice');
    // Once crossed, further exposures say nothing more.
    expect(expose(d, user, 'treatment', T0 + 2 * MIN)).toEqual([]);

    const unknown = expose(d, user, 'beta', T0 + 3 * MIN);
    expect(kinds(unknown)).toEqual(['unknown_arm']);
    expect(unknown[0]!.evidence).toEqual({ experiment: 'proactive-chat', arm: 'beta' });
    expect(unknown[0]!.message).toBe(
      'experiment proactive-chat: arm beta is not one of its arms (treatment, holdout)',
    );
    expect(JSON.stringify(unknown)).not.toContain('alice');
    // An arm value that could be personal data is shown as a hash.
    const leaked = expose(d, 'bob-1', user, T0 + 4 * MIN);
    expect(kinds(leaked)).toEqual(['unknown_arm']);
    expect(JSON.stringify(leaked)).not.toContain('alice');
    expect(String(leaked[0]!.evidence.arm)).toMatch(/^hash:/);
    expect(d.get('proactive-chat')!.events.exposures).toEqual({
      new: 1,
      crossover: 1,
      crossed: 1,
      unknown_arm: 2,
    });
  });
});

describe('HoldoutDetector evaluate', () => {
  it('reports srm once when the split breaks, and again only after it clears and recurs', () => {
    const d = createHoldoutDetector();
    define(d);
    let at = traffic(d, { treatment: { n: 700, rate: 0 }, holdout: { n: 300, rate: 0 } });
    const first = d.evaluate(new Date(at));
    expect(kinds(first)).toEqual(['srm']);
    expect(first[0]).toMatchObject({
      severity: 'critical',
      contract: 'experiment.exposure',
      evidence: { experiment: 'proactive-chat', units: { treatment: 700, holdout: 300 } },
    });
    expect(first[0]!.message).toMatch(
      /^experiment proactive-chat: sample ratio mismatch, treatment 70.00% \(expected 50.00%\)/,
    );
    expect(d.evaluate(new Date(at + HOUR))).toEqual([]);
    // More of the same mismatch: still the one report.
    at = traffic(d, { treatment: { n: 70, rate: 0 }, holdout: { n: 30, rate: 0 } }, at, 'more');
    expect(d.evaluate(new Date(at))).toEqual([]);
    // Balanced again: cleared, nothing reported.
    at = traffic(d, { holdout: { n: 440, rate: 0 } }, at, 'balance');
    expect(d.get('proactive-chat')!.result).toBeTruthy();
    expect(d.evaluate(new Date(at))).toEqual([]);
    expect(d.get('proactive-chat')!.result!.srm.mismatch).toBe(false);
    // And broken again.
    at = traffic(d, { treatment: { n: 800, rate: 0 } }, at, 'again');
    expect(kinds(d.evaluate(new Date(at)))).toEqual(['srm']);
  });

  it('reports lift_positive once when the treatment clearly converts better', () => {
    const d = createHoldoutDetector();
    define(d);
    const at = traffic(d, { treatment: { n: 2000, rate: 0.3 }, holdout: { n: 2000, rate: 0.1 } });
    const findings = d.evaluate(new Date(at));
    expect(kinds(findings)).toEqual(['lift_positive']);
    expect(findings[0]).toMatchObject({
      severity: 'info',
      evidence: { experiment: 'proactive-chat', metric: 'converted', arm: 'treatment', control: 'holdout' },
    });
    expect(findings[0]!.message).toMatch(
      /^experiment proactive-chat: converted is higher in treatment than in holdout by 200\.00%/,
    );
    const result = d.get('proactive-chat')!.result!;
    expect(result.metrics[0]!.arms).toEqual([
      { arm: 'treatment', units: 2000, withOutcome: 600, mean: 0.3, variance: expect.closeTo(0.21, 3) },
      { arm: 'holdout', units: 2000, withOutcome: 200, mean: 0.1, variance: expect.closeTo(0.09, 3) },
    ]);
    expect(result.metrics[0]!.comparisons[0]!.verdict).toBe('positive');
    expect(d.evaluate(new Date(at + HOUR))).toEqual([]);
    traffic(d, { treatment: { n: 100, rate: 0.3 }, holdout: { n: 100, rate: 0.1 } }, at, 'more');
    expect(d.evaluate(new Date(at + 2 * HOUR))).toEqual([]);
  });

  it('reports lift_negative when the treatment converts worse', () => {
    const d = createHoldoutDetector();
    define(d);
    const at = traffic(d, { treatment: { n: 2000, rate: 0.1 }, holdout: { n: 2000, rate: 0.3 } });
    expect(kinds(d.evaluate(new Date(at)))).toEqual(['lift_negative']);
  });

  it('reports nothing for an A/A experiment', () => {
    const d = createHoldoutDetector();
    define(d);
    const at = traffic(d, { treatment: { n: 2000, rate: 0.2 }, holdout: { n: 2000, rate: 0.2 } });
    expect(d.evaluate(new Date(at))).toEqual([]);
    expect(d.get('proactive-chat')!.result!.metrics[0]!.comparisons[0]!.verdict).toBe('inconclusive');
  });

  it('is collecting while an arm has fewer than min_units_per_arm units', () => {
    const d = createHoldoutDetector();
    define(d);
    const at = traffic(d, { treatment: { n: 99, rate: 0.9 }, holdout: { n: 150, rate: 0 } });
    expect(d.evaluate(new Date(at))).toEqual([]);
    const result = d.get('proactive-chat')!.result!;
    expect(result.units).toEqual({ total: 249, crossed: 0, pending: 0 });
    expect(result.metrics[0]!.comparisons[0]!.verdict).toBe('collecting');
  });
});

describe('HoldoutDetector lifecycle', () => {
  it('carries units and reported state across a restart', () => {
    const d = createHoldoutDetector();
    define(d);
    const at = traffic(d, { treatment: { n: 2000, rate: 0.3 }, holdout: { n: 2000, rate: 0.1 } });
    expect(kinds(d.evaluate(new Date(at)))).toEqual(['lift_positive']);
    const snapshots = JSON.parse(JSON.stringify(d.snapshot()));
    expect(snapshots.map((s: { contract: string }) => s.contract)).toEqual(['experiment:proactive-chat']);
    expect(JSON.stringify(snapshots)).not.toContain('user-');

    const after = createHoldoutDetector();
    define(after);
    after.restore(snapshots);
    // Already reported before the restart.
    expect(after.evaluate(new Date(at))).toEqual([]);
    expect(after.get('proactive-chat')!.result!.units.total).toBe(4000);
    expect(expose(after, 'user-treatment-0', 'treatment', at)).toEqual([]);
    expect(kinds(expose(after, 'user-treatment-1', 'holdout', at))).toEqual(['arm_crossover']);
  });

  it('starts afresh from a damaged snapshot and says so until the experiment is defined again', () => {
    const d = createHoldoutDetector();
    define(d);
    const at = traffic(d, { treatment: { n: 150, rate: 0.3 }, holdout: { n: 150, rate: 0.1 } });
    const snapshots = JSON.parse(JSON.stringify(d.snapshot()));
    snapshots[0].state.tracker.units.units += 1;

    const after = createHoldoutDetector();
    define(after);
    after.restore(snapshots);
    after.evaluate(new Date(at));
    after.evaluate(new Date(at + HOUR));
    const view = after.get('proactive-chat')!;
    expect(view.result!.units.total).toBe(0);
    expect(view.error).toMatch(/^saved state not restored, counting afresh: snapshot: /);
  });

  it('keeps a snapshot of an experiment not defined yet until it is', () => {
    const d = createHoldoutDetector();
    define(d);
    const at = traffic(d, { treatment: { n: 150, rate: 0.3 }, holdout: { n: 150, rate: 0.1 } });
    const snapshots = JSON.parse(JSON.stringify(d.snapshot()));

    const after = createHoldoutDetector();
    after.restore(snapshots);
    expect(after.get('proactive-chat')).toBeNull();
    // Snapshotted again before it is defined: not lost.
    const again = JSON.parse(JSON.stringify(after.snapshot()));
    expect(again).toEqual(snapshots);
    const later = createHoldoutDetector();
    later.restore(again);
    define(later);
    later.evaluate(new Date(at));
    expect(later.get('proactive-chat')!.result!.units.total).toBe(300);
  });

  it('starts afresh when the definition changed', () => {
    const d = createHoldoutDetector();
    define(d);
    const at = traffic(d, { treatment: { n: 150, rate: 0.3 }, holdout: { n: 150, rate: 0.1 } });
    const snapshots = JSON.parse(JSON.stringify(d.snapshot()));
    const changed = { ...SECTION, attribution_hours: 24 };

    const defineFirst = createHoldoutDetector();
    define(defineFirst, changed);
    defineFirst.restore(snapshots);
    defineFirst.evaluate(new Date(at));
    expect(defineFirst.get('proactive-chat')!.result!.units.total).toBe(0);

    const restoreFirst = createHoldoutDetector();
    restoreFirst.restore(snapshots);
    define(restoreFirst, changed);
    restoreFirst.evaluate(new Date(at));
    expect(restoreFirst.get('proactive-chat')!.result!.units.total).toBe(0);

    // Redefined while running: same definition keeps the units, another starts afresh.
    define(d, JSON.parse(JSON.stringify(SECTION)));
    d.evaluate(new Date(at));
    expect(d.get('proactive-chat')!.result!.units.total).toBe(300);
    define(d, changed);
    d.evaluate(new Date(at));
    expect(d.get('proactive-chat')!.result!.units.total).toBe(0);
  });

  it('removes an experiment with its units', () => {
    const d = createHoldoutDetector();
    define(d);
    traffic(d, { treatment: { n: 10, rate: 0.3 }, holdout: { n: 10, rate: 0.1 } });
    expect(d.list().map((v) => v.id)).toEqual(['proactive-chat']);
    expect(d.remove('proactive-chat')).toBe(true);
    expect(d.remove('proactive-chat')).toBe(false);
    expect(d.get('proactive-chat')).toBeNull();
    expect(d.snapshot()).toEqual([]);
    expect(expose(d, 'alice', 'treatment', T0)).toEqual([]);
    expect(d.unknownExperimentExposures).toBe(0);
    define(d);
    expect(expose(d, 'alice', 'treatment', T0)).toEqual([]);
    d.evaluate(new Date(T0 + HOUR));
    expect(d.get('proactive-chat')!.result!.units.total).toBe(1);
  });

  it('shows a view of each experiment', () => {
    const d = createHoldoutDetector();
    define(d);
    const view = d.get('proactive-chat')!;
    expect(view).toMatchObject({
      id: 'proactive-chat',
      description: '',
      source: 'config',
      definition: SECTION,
      events: { exposures: {}, outcomes: {} },
      result: null,
      reading: ['Not evaluated yet.'],
    });
    expect(view.memory.outcomeEntries).toBe(0);
  });
});
