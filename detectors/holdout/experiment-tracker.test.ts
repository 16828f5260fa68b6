import { describe, expect, it } from 'vitest';
import { readEnvelope } from '../../monitor/pipeline/envelope.js';
import type { ExperimentConfig } from './experiment-config.js';
import { ExperimentTracker } from './experiment-tracker.js';
import { parseExperiment } from './parse-experiment.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-02T00:00:00Z');

function config(extra: Record<string, unknown> = {}): ExperimentConfig {
  const parsed = parseExperiment({
    id: 'proactive-chat',
    exposure: { arm: '/variant' },
    arms: { treatment: 0.5, holdout: 0.5 },
    metrics: [
      {
        name: 'converted',
        type: 'binary',
        event_type: 'conversion',
        where: { '/conversion_type': ['purchase', 'upgrade'] },
      },
      {
        name: 'revenue',
        type: 'continuous',
        event_type: 'conversion',
        value: '/value',
        covariate: '/prior_revenue',
      },
      { name: 'replied', type: 'binary', event_type: 'conversation.message' },
    ],
    start: '2026-11-01T00:00:00Z',
    end: '2026-12-01T00:00:00Z',
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
}

let seq = 0;

function exposure(
  user: string | null,
  variant: unknown,
  at: number | null,
  extra: Record<string, unknown> = {},
) {
  return {
    event_id: `exp-${++seq}`,
    event_type: 'experiment.exposure',
    ...(at === null ? {} : { occurred_at: new Date(at).toISOString() }),
    ...(user === null ? {} : { user_id: user }),
    experiment_id: 'proactive-chat',
    variant,
    ...extra,
  };
}

function conversion(user: string, at: number, value: unknown, type = 'purchase', id = `conv-${++seq}`) {
  return {
    event_id: id,
    event_type: 'conversion',
    occurred_at: new Date(at).toISOString(),
    user_id: user,
    conversion_type: type,
    value,
  };
}

function expose(t: ExperimentTracker, event: Record<string, unknown>, now = T0 + 100 * HOUR) {
  return t.expose(event, readEnvelope(event), now);
}

function outcome(t: ExperimentTracker, event: Record<string, unknown>, now = T0 + 100 * HOUR) {
  t.outcome(event, readEnvelope(event), String(event.event_type), now);
}

describe('ExperimentTracker exposures', () => {
  it('assigns units by the configured arm pointer and counts what became of each exposure', () => {
    const t = new ExperimentTracker(config());
    expect(expose(t, exposure('alice', 'treatment', T0))).toEqual({ result: 'new', arm: null });
    expect(expose(t, exposure('alice', 'treatment', T0 + HOUR))).toEqual({ result: 'repeat', arm: null });
    expect(expose(t, exposure('bob', 'holdout', T0))).toEqual({ result: 'new', arm: null });
    expect(expose(t, exposure('bob', 'treatment', T0 + HOUR))).toEqual({ result: 'crossover', arm: null });
    expect(expose(t, exposure('bob', 'holdout', T0 + 2 * HOUR))).toEqual({ result: 'crossed', arm: null });
    // The default /arm pointer is not the configured one.
    expect(expose(t, exposure('carol', undefined, T0, { arm: 'treatment' }))).toEqual({
      result: 'unknown_arm',
      arm: null,
    });
    expect(expose(t, exposure('carol', 'beta', T0))).toEqual({ result: 'unknown_arm', arm: 'beta' });
    expect(expose(t, exposure('carol', 3, T0))).toEqual({ result: 'unknown_arm', arm: null });
    expect(expose(t, exposure('dave', 'holdout', Date.parse('2026-10-31T23:59:59Z')))).toEqual({
      result: 'outside_period',
      arm: null,
    });
    expect(
      expose(
        t,
        exposure('dave', 'holdout', Date.parse('2026-12-01T00:00:00Z')),
        Date.parse('2026-12-02T00:00:00Z'),
      ),
    ).toEqual({
      result: 'outside_period',
      arm: null,
    });
    expect(expose(t, exposure('erin', 'holdout', T0 + 6 * MIN), T0).result).toBe('future');
    expect(expose(t, exposure('erin', 'holdout', T0 + 4 * MIN), T0).result).toBe('new');
    expect(expose(t, exposure(null, 'holdout', T0)).result).toBe('no_unit');
    expect(expose(t, exposure('', 'holdout', T0)).result).toBe('no_unit');
    expect(expose(t, exposure('frank', 'holdout', null)).result).toBe('no_time');

    expect(Object.fromEntries(t.exposures)).toEqual({
      new: 3,
      repeat: 1,
      crossover: 1,
      crossed: 1,
      unknown_arm: 3,
      outside_period: 2,
      future: 1,
      no_unit: 2,
      no_time: 1,
    });
    expect(t.units.armUnits).toEqual([1, 1]);
    expect(t.units.crossed).toBe(1);
  });

  it('reads the unit at the configured pointer, numbers and strings alike', () => {
    const t = new ExperimentTracker(config({ unit: '/account/id' }));
    expect(expose(t, exposure('alice', 'treatment', T0, { account: { id: 42 } })).result).toBe('new');
    expect(expose(t, exposure('bob', 'treatment', T0, { account: { id: '42' } })).result).toBe('repeat');
    expect(expose(t, exposure('alice', 'treatment', T0)).result).toBe('no_unit');
  });
});

describe('ExperimentTracker outcomes', () => {
  it('counts outcomes per metric, with where filters, values and binary 0/1', () => {
    const t = new ExperimentTracker(config());
    expose(t, exposure('alice', 'treatment', T0, { prior_revenue: 30 }));
    expose(t, exposure('bob', 'treatment', T0, { prior_revenue: 10 }));
    expose(t, exposure('carol', 'holdout', T0));
    expose(t, exposure('dave', 'holdout', T0, { prior_revenue: 'n/a' }));

    outcome(t, conversion('alice', T0 + HOUR, 20));
    outcome(t, conversion('alice', T0 + 2 * HOUR, 5, 'upgrade'));
    // A refund is revenue but not a conversion.
    outcome(t, conversion('bob', T0 + HOUR, -4, 'refund'));
    outcome(t, conversion('carol', T0 + HOUR, 12));
    outcome(t, conversion('carol', T0 + 2 * HOUR, '12'));
    outcome(t, conversion('carol', T0 + 3 * HOUR, 1e16));
    outcome(t, conversion('carol', T0 + 4 * HOUR, null));

    // Each conversion is an outcome of converted and of revenue, the refund of revenue only;
    // a value that is not a finite number of sane size fails revenue but still converts.
    expect(Object.fromEntries(t.outcomes)).toEqual({ added: 10, invalid_value: 3 });
    expect(t.dirty).toBe(true);
    const m = t.moments();
    expect(t.dirty).toBe(false);
    // [arm][metric]: treatment, holdout; converted, revenue, replied.
    expect(m[0]![0]).toEqual({ n: 2, nonZero: 1, sumY: 1, sumY2: 1, sumX: 0, sumX2: 0, sumXY: 0 });
    expect(m[0]![1]).toEqual({ n: 2, nonZero: 2, sumY: 21, sumY2: 641, sumX: 40, sumX2: 1000, sumXY: 710 });
    expect(m[0]![2]).toEqual({ n: 2, nonZero: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 });
    expect(m[1]![0]).toEqual({ n: 2, nonZero: 1, sumY: 1, sumY2: 1, sumX: 0, sumX2: 0, sumXY: 0 });
    // carol and dave had no covariate: 0.
    expect(m[1]![1]).toEqual({ n: 2, nonZero: 1, sumY: 12, sumY2: 144, sumX: 0, sumX2: 0, sumXY: 0 });
  });

  it('reads covariates from the first exposure by event time', () => {
    const t = new ExperimentTracker(config());
    expose(t, exposure('alice', 'treatment', T0 + 2 * HOUR, { prior_revenue: 50 }));
    expose(t, exposure('alice', 'treatment', T0 + 3 * HOUR, { prior_revenue: 70 }));
    expect(t.moments()[0]![1]!.sumX).toBe(50);
    expose(t, exposure('alice', 'treatment', T0 + HOUR, { prior_revenue: 40 }));
    expect(t.moments()[0]![1]!.sumX).toBe(40);
  });

  it('counts one event once, and an event for each metric it matches', () => {
    const t = new ExperimentTracker(config());
    expose(t, exposure('alice', 'treatment', T0));
    const event = conversion('alice', T0 + HOUR, 20, 'purchase', 'conv-dup');
    outcome(t, event);
    outcome(t, event);
    expect(Object.fromEntries(t.outcomes)).toEqual({ added: 2, duplicate: 2 });
    const m = t.moments();
    expect([m[0]![0]!.sumY, m[0]![1]!.sumY]).toEqual([1, 20]);
  });

  it('tells outcomes without an event id apart by their event time', () => {
    const t = new ExperimentTracker(config());
    expose(t, exposure('alice', 'treatment', T0));
    const { event_id: _a, ...first } = conversion('alice', T0 + HOUR, 20);
    const { event_id: _b, ...second } = conversion('alice', T0 + 2 * HOUR, 5);
    outcome(t, first);
    outcome(t, second);
    outcome(t, first);
    expect(Object.fromEntries(t.outcomes)).toEqual({ added: 4, duplicate: 2 });
    expect(t.moments()[0]![1]!.sumY).toBe(25);
  });

  it('keeps outcomes of units not exposed yet, and sweeps them as unexposed when no exposure comes', () => {
    const t = new ExperimentTracker(config());
    outcome(t, conversion('alice', T0 + HOUR, 20));
    outcome(t, conversion('bob', T0 + HOUR, 8));
    expect(Object.fromEntries(t.outcomes)).toEqual({ pending: 4 });
    expose(t, exposure('alice', 'holdout', T0 + 30 * MIN));
    // The watermark moves by event time: bob's outcomes waited an hour for an exposure.
    expose(t, exposure('carol', 'holdout', T0 + 2 * HOUR + 1));
    t.sweep();
    expect(t.outcomes.get('unexposed')).toBe(2);
    expect(t.units.pending).toBe(0);
    const m = t.moments();
    expect(m[1]![1]).toMatchObject({ n: 2, sumY: 20 });
  });

  it('ignores outcomes after the end plus the attribution window, in the future, without a unit or a time', () => {
    const t = new ExperimentTracker(config());
    const dec5 = Date.parse('2026-12-05T00:00:00Z');
    expose(t, exposure('alice', 'treatment', Date.parse('2026-11-30T23:00:00Z')), dec5);
    outcome(
      t,
      conversion('alice', Date.parse('2026-12-03T22:59:59Z'), 1),
      Date.parse('2026-12-05T00:00:00Z'),
    );
    outcome(
      t,
      conversion('alice', Date.parse('2026-12-04T00:00:00Z'), 1),
      Date.parse('2026-12-05T00:00:00Z'),
    );
    outcome(t, conversion('alice', T0 + HOUR, 1), T0);
    const { user_id: _, ...noUnit } = conversion('alice', T0 + HOUR, 1);
    outcome(t, noUnit);
    const { occurred_at: __, ...noTime } = conversion('alice', T0 + HOUR, 1);
    outcome(t, noTime);
    expect(Object.fromEntries(t.outcomes)).toEqual({
      added: 2,
      after_end: 2,
      future: 2,
      no_unit: 2,
      no_time: 2,
    });
  });

  it('measures only the event types of its metrics', () => {
    const t = new ExperimentTracker(config());
    expect(t.measures('conversion')).toBe(true);
    expect(t.measures('conversation.message')).toBe(true);
    expect(t.measures('experiment.exposure')).toBe(false);
  });
});

describe('ExperimentTracker snapshots', () => {
  it('restores units, counts and the watermark from a JSON round trip', () => {
    const c = config();
    const t = new ExperimentTracker(c);
    for (let i = 0; i < 300; i++) {
      const user = `user-${i}`;
      expose(
        t,
        exposure(user, i % 3 === 0 ? 'holdout' : 'treatment', T0 + i * MIN, { prior_revenue: i % 13 }),
      );
      if (i % 4 === 0) outcome(t, conversion(user, T0 + i * MIN + HOUR, i % 17));
    }
    outcome(t, conversion('waiting', T0, 3));
    expose(t, exposure('user-1', 'holdout', T0 + 10 * HOUR));
    const back = ExperimentTracker.restore(c, JSON.parse(JSON.stringify(t.snapshot())));
    expect(back.moments()).toEqual(t.moments());
    expect(Object.fromEntries(back.exposures)).toEqual(Object.fromEntries(t.exposures));
    expect(Object.fromEntries(back.outcomes)).toEqual(Object.fromEntries(t.outcomes));
    expect(back.watermark).toBe(t.watermark);
    expect(back.units.crossed).toBe(1);
    expect(back.units.pending).toBe(1);
    expect(expose(back, exposure('user-2', 'treatment', T0)).result).toBe('repeat');

    // The same definition with its arms listed the other way round (a reordered file) keeps each unit's arm.
    const reordered = config({ arms: { holdout: 0.5, treatment: 0.5 } });
    const swapped = ExperimentTracker.restore(reordered, JSON.parse(JSON.stringify(t.snapshot())));
    expect(swapped.units.armUnits).toEqual([...t.units.armUnits].reverse());
    expect(swapped.moments()).toEqual([...t.moments()].reverse());
    expect(() => ExperimentTracker.restore(config({ arms: { a: 0.5, holdout: 0.5 } }), t.snapshot())).toThrow(
      /other arms/,
    );

    const empty = new ExperimentTracker(c).snapshot();
    expect(empty.watermark).toBeNull();
    expect(ExperimentTracker.restore(c, JSON.parse(JSON.stringify(empty))).watermark).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });
});
