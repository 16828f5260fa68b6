import { describe, expect, it } from 'vitest';
import { parseExperiment } from './parse-experiment.js';

const MINIMAL = {
  id: 'proactive-chat',
  arms: { treatment: 0.95, holdout: 0.05 },
  metrics: [{ name: 'converted', type: 'binary', event_type: 'conversion' }],
};

function errorsOf(section: unknown): string[] {
  const parsed = parseExperiment(section);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
}

describe('parseExperiment', () => {
  it('fills the defaults of a minimal experiment', () => {
    const parsed = parseExperiment(MINIMAL);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(parsed.config).toEqual({
      id: 'proactive-chat',
      description: '',
      exposure: { eventType: 'experiment.exposure', experiment: '/experiment_id', arm: '/arm' },
      unit: '/user_id',
      arms: [
        { name: 'treatment', weight: 0.95 },
        { name: 'holdout', weight: 0.05 },
      ],
      control: 1,
      metrics: [
        {
          name: 'converted',
          type: 'binary',
          eventType: 'conversion',
          value: null,
          where: [],
          covariate: null,
        },
      ],
      attributionMs: 72 * 3_600_000,
      startMs: null,
      endMs: null,
      alpha: 0.05,
      sequentialTuning: 5000,
      minUnitsPerArm: 100,
      minOutcomesPerArm: 100,
      srm: { pValue: 0.001, minDeviation: 0.02 },
      lateExposureMs: 60 * 60_000,
      maxFutureMs: 5 * 60_000,
    });
    // The section is kept as written, without the defaults.
    expect(parsed.section).toEqual(MINIMAL);
  });

  it('takes an arm called control when none is called holdout, and an explicit control over both', () => {
    const a = parseExperiment({ ...MINIMAL, arms: { control: 0.5, variant: 0.5 } });
    expect(a.ok && a.config.control).toBe(0);
    const b = parseExperiment({ ...MINIMAL, arms: { a: 0.5, b: 0.5 }, control: 'b' });
    expect(b.ok && b.config.control).toBe(1);
  });

  it('reads every option given', () => {
    const parsed = parseExperiment({
      id: 'pricing_v2',
      description: 'New prices',
      exposure: { event_type: 'pricing.shown', experiment: '/exp', arm: '/variant' },
      unit: '/account/id',
      arms: { a: 0.25, b: 0.25, base: 0.5 },
      control: 'base',
      metrics: [
        {
          name: 'revenue',
          type: 'continuous',
          event_type: 'conversion',
          value: '/value',
          where: { '/conversion_type': ['purchase', 'upgrade'] },
          covariate: '/prior_revenue',
        },
      ],
      attribution_hours: 24,
      start: '2026-11-01T00:00:00Z',
      end: '2026-12-01T00:00:00Z',
      alpha: 0.1,
      sequential_tuning: 20_000,
      min_units_per_arm: 500,
      srm: { p_value: 0.0001, min_deviation: 0.05 },
      late_exposure_minutes: 10,
      max_future_minutes: 0,
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const c = parsed.config;
    expect(c.exposure).toEqual({ eventType: 'pricing.shown', experiment: '/exp', arm: '/variant' });
    expect(c.unit).toBe('/account/id');
    expect(c.control).toBe(2);
    expect(c.metrics[0]).toEqual({
      name: 'revenue',
      type: 'continuous',
      eventType: 'conversion',
      value: '/value',
      where: [{ pointer: '/conversion_type', values: ['purchase', 'upgrade'] }],
      covariate: '/prior_revenue',
    });
    expect(c.attributionMs).toBe(24 * 3_600_000);
    expect(c.startMs).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(c.endMs).toBe(Date.parse('2026-12-01T00:00:00Z'));
    expect([c.alpha, c.sequentialTuning, c.minUnitsPerArm]).toEqual([0.1, 20_000, 500]);
    expect(c.srm).toEqual({ pValue: 0.0001, minDeviation: 0.05 });
    expect([c.lateExposureMs, c.maxFutureMs]).toEqual([600_000, 0]);
  });

  it('names the key of each rule a schema cannot check', () => {
    expect(errorsOf({ ...MINIMAL, arms: { treatment: 0.6, holdout: 0.5 } })).toEqual([
      'arms: the shares must sum to 1 (they sum to 1.1)',
    ]);
    expect(errorsOf({ ...MINIMAL, arms: { a: 0.5, b: 0.5 } })).toEqual([
      'control: name the arm lifts are measured against (no arm is called holdout or control)',
    ]);
    expect(errorsOf({ ...MINIMAL, control: 'baseline' })).toEqual([
      'control: baseline is not one of the arms',
    ]);
    expect(errorsOf({ ...MINIMAL, metrics: [MINIMAL.metrics[0], MINIMAL.metrics[0]] })).toEqual([
      'metrics[1].name: converted is named twice',
    ]);
    expect(
      errorsOf({ ...MINIMAL, metrics: [{ name: 'revenue', type: 'continuous', event_type: 'conversion' }] }),
    ).toEqual(['metrics[0].value: a continuous metric needs the pointer of its value']);
    expect(
      errorsOf({
        ...MINIMAL,
        metrics: [{ name: 'converted', type: 'binary', event_type: 'conversion', value: '/value' }],
      }),
    ).toEqual(['metrics[0].value: a binary metric counts each outcome as 1 and takes no value']);
    expect(errorsOf({ ...MINIMAL, start: '2026-11-02T00:00:00Z', end: '2026-11-01T00:00:00Z' })).toEqual([
      'end: must be after start',
    ]);
    expect(errorsOf({ ...MINIMAL, start: '2026-11-01T00:00:00Z', end: '2026-11-01T00:00:00Z' })).toEqual([
      'end: must be after start',
    ]);
  });

  it('names the key of each schema error', () => {
    expect(errorsOf({ ...MINIMAL, colour: 'red' })).toEqual(['colour: unknown key']);
    expect(errorsOf({ ...MINIMAL, metrics: [{ ...MINIMAL.metrics[0], colour: 'red' }] })).toEqual([
      'metrics[0].colour: unknown key',
    ]);
    expect(errorsOf({ ...MINIMAL, srm: { p: 0.01 } })).toEqual(['srm.p: unknown key']);
    expect(errorsOf({ ...MINIMAL, id: 'Proactive Chat' })).toEqual([
      'id: must match pattern "^[a-z0-9][a-z0-9_-]*$"',
    ]);
    expect(errorsOf({ ...MINIMAL, arms: { 'new offer': 0.5, holdout: 0.5 } })).toEqual([
      // A name that is not a plain token is shown as its salted hash: it could be personal data.
      expect.stringMatching(/^arms\.hash:[0-9a-f]{16}: the name must match pattern/),
    ]);
    expect(errorsOf({ arms: MINIMAL.arms, metrics: MINIMAL.metrics })).toEqual([
      "id: must have required property 'id'",
    ]);
    expect(
      errorsOf({ ...MINIMAL, metrics: [{ name: 'converted', type: 'count', event_type: 'conversion' }] }),
    ).toEqual(['metrics[0].type: must be equal to one of the allowed values']);
    expect(errorsOf({ ...MINIMAL, arms: { treatment: 1.5, holdout: 0.5 } })).toEqual([
      'arms.treatment: must be <= 1',
    ]);
    expect(errorsOf({ ...MINIMAL, unit: 'user_id' })[0]).toMatch(/^unit: must match pattern/);
    expect(errorsOf({ ...MINIMAL, start: 'next week' })).toEqual(['start: must match format "date-time"']);
  });

  it('refuses a section that is not a mapping', () => {
    expect(errorsOf(null)).toEqual(['(experiment): must be a mapping']);
    expect(errorsOf([MINIMAL])).toEqual(['(experiment): must be a mapping']);
    expect(errorsOf('proactive-chat')).toEqual(['(experiment): must be a mapping']);
  });

  it('shows keys from the definition that could be personal data as salted hashes, digits included', () => {
    const parsed = parseExperiment({
      ...MINIMAL,
      '4155551234': 1,
      metrics: [{ ...MINIMAL.metrics[0], x: 1 }],
    });
    if (parsed.ok) throw new Error('expected errors');
    expect(parsed.errors.join('\n')).not.toContain('4155551234');
    expect(parsed.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([['4155551234'], ['metrics', 0, 'x']]),
    );
    expect(parsed.errors).toContain('metrics[0].x: unknown key');
  });

  it('refuses a number JSON cannot carry, and a deeply nested body without overflowing', () => {
    expect(errorsOf({ ...MINIMAL, alpha: Number.POSITIVE_INFINITY })).toEqual(['alpha: must be <= 0.5']);
    const where = { '/channel': [Number.POSITIVE_INFINITY] };
    const parsed = parseExperiment({ ...MINIMAL, metrics: [{ ...MINIMAL.metrics[0], where }] });
    if (parsed.ok) throw new Error('expected errors');
    expect(parsed.problems).toEqual([
      { path: ['metrics', 0, 'where', '/channel', 0], reason: 'must be a finite number' },
    ]);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(errorsOf({ ...MINIMAL, deep })).toEqual(['deep: unknown key']);
  });
});
