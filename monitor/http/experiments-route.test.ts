import { afterEach, describe, expect, it } from 'vitest';
import { testStores } from '../store/test-stores.js';
import { createTestApp, type TestApp } from './test-app.js';

const EXPERIMENT = {
  id: 'proactive-chat',
  description: 'Proactive chat offers, with a 20% holdout',
  arms: { treatment: 0.8, holdout: 0.2 },
  metrics: [
    { name: 'converted', type: 'binary', event_type: 'conversion' },
    { name: 'revenue', type: 'continuous', event_type: 'conversion', value: '/value' },
  ],
  min_units_per_arm: 50,
  min_outcomes_per_arm: 20,
};

let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

function exposure(user: string, arm: string, at: Date, experiment = 'proactive-chat') {
  return {
    event_id: uuid(),
    event_type: 'experiment.exposure',
    schema_version: '1.1.0',
    occurred_at: at.toISOString(),
    user_id: user,
    channel: 'chat',
    experiment_id: experiment,
    arm,
    unit_id: user,
    unit_type: 'user',
    surface: 'greeting',
  };
}

function conversion(user: string, value: number, at: Date) {
  return {
    event_id: uuid(),
    event_type: 'conversion',
    schema_version: '1.1.0',
    occurred_at: at.toISOString(),
    user_id: user,
    channel: 'chat',
    conversion_type: 'purchase',
    value,
    currency: 'EUR',
    order_id: null,
  };
}

/** 1,500 users, 4 in 5 treated; treated users convert three times as often. */
function traffic(t0: number) {
  const events: object[] = [];
  for (let i = 0; i < 1500; i++) {
    const user = `user-${i}@example.com`;
    const arm = i % 5 === 0 ? 'holdout' : 'treatment';
    events.push(exposure(user, arm, new Date(t0 + i * 1000)));
    // The j-th unit of its arm: 3 in 5 treated units convert, 1 in 5 of the holdout.
    const j = arm === 'holdout' ? i / 5 : i - Math.floor(i / 5) - 1;
    const converts = arm === 'treatment' ? j % 5 < 3 : j % 5 < 1;
    if (converts) events.push(conversion(user, 20 + (i % 7), new Date(t0 + i * 1000 + 3_600_000)));
  }
  return events;
}

async function post(t: TestApp, events: object[]) {
  const res = await t.server.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(res.statusCode).toBe(200);
  return res.json() as { accepted: number; results: Array<{ findings: Array<{ kind: string }> }> };
}

describe('the experiments API', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers a config-file experiment with its numbers, verdicts, reading and gauges', async () => {
    t = await createTestApp({ config: { experiments: [EXPERIMENT] } as never });
    const t0 = Date.now() - 6 * 3_600_000;
    await post(t, traffic(t0));
    t.app.evaluate();
    const res = await t.server.inject({ method: 'GET', url: '/v1/experiments/proactive-chat' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.source).toBe('config');
    expect(body.result.units).toEqual({ total: 1500, crossed: 0, pending: 0 });
    expect(body.result.arms.map((a: { units: number }) => a.units)).toEqual([1200, 300]);
    expect(body.result.srm.mismatch).toBe(false);
    const converted = body.result.metrics[0];
    expect(converted.arms.map((a: { mean: number }) => a.mean)).toEqual([0.6, 0.2]);
    expect(converted.comparisons[0]).toMatchObject({
      arm: 'treatment',
      control: 'holdout',
      verdict: 'positive',
    });
    expect(converted.comparisons[0].relative.fixed.estimate).toBeCloseTo(2, 10);
    expect(body.reading.join('\n')).toMatch(/treatment does better/);
    expect(body.events.exposures).toEqual({ new: 1500 });
    expect(body.events.outcomes).toEqual({ added: 1560 }); // 780 conversions, each for two metrics

    const list = await t.server.inject({ method: 'GET', url: '/v1/experiments' });
    expect(list.json().experiments).toEqual([
      expect.objectContaining({ id: 'proactive-chat', units: 1500, srm: false, source: 'config' }),
    ]);
    const metrics = (await t.server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('earshot_experiment_units{experiment="proactive-chat",arm="holdout"} 300');
    expect(metrics).toContain(
      'earshot_experiment_verdict{experiment="proactive-chat",metric="converted",arm="treatment"} 1',
    );
    expect(metrics).toContain('earshot_experiment_srm{experiment="proactive-chat"} 0');
    expect(metrics).toMatch(
      /earshot_findings_total\{detector="holdout",kind="lift_positive",severity="info"\} 2/,
    ); // converted and revenue
    // The unit ids (e-mail addresses here) never reach the answer or the metrics.
    expect(res.body).not.toContain('@example.com');
    expect(metrics).not.toContain('@example.com');
  });

  it('reports a crossover and an unknown arm per event, and ignores unknown experiments', async () => {
    t = await createTestApp({ config: { experiments: [EXPERIMENT] } as never });
    const at = new Date(Date.now() - 60_000);
    const out = await post(t, [
      exposure('u-1', 'treatment', at),
      exposure('u-1', 'holdout', at),
      exposure('u-2', 'blue', at),
      exposure('u-3', 'treatment', at, 'someone-elses-test'),
    ]);
    expect(out.results.map((r) => r.findings.map((f) => f.kind))).toEqual([
      [],
      ['arm_crossover'],
      ['unknown_arm'],
      [],
    ]);
    t.app.evaluate();
    const body = (await t.server.inject({ method: 'GET', url: '/v1/experiments/proactive-chat' })).json();
    expect(body.result.units).toEqual({ total: 0, crossed: 1, pending: 0 });
    expect(body.events.exposures).toEqual({ new: 1, crossover: 1, unknown_arm: 1 });
    const metrics = (await t.server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('earshot_experiment_unknown_exposures_total 1');
    expect(metrics).toContain('earshot_experiment_crossover_units{experiment="proactive-chat"} 1');
  });

  it('refuses a bad definition with the key, and a second definition under a used id', async () => {
    t = await createTestApp({ config: { experiments: [EXPERIMENT] } as never });
    const bad = await t.server.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: { ...EXPERIMENT, id: 'other', arms: { a: 0.5, b: 0.4 }, control: 'a' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'invalid_experiment',
      details: [{ pointer: '/arms', reason: expect.stringMatching(/sum to 1/) }],
    });
    const typo = await t.server.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: {
        ...EXPERIMENT,
        id: 'other',
        metrics: [{ name: 'x', type: 'ratio', event_type: 'conversion' }],
      },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().details[0].pointer).toBe('/metrics/0/type');
    const taken = await t.server.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: { ...EXPERIMENT, arms: { treatment: 0.5, holdout: 0.5 } },
    });
    expect(taken.statusCode).toBe(409);
    const same = await t.server.inject({ method: 'POST', url: '/v1/experiments', payload: EXPERIMENT });
    expect(same.statusCode).toBe(200);
    const del = await t.server.inject({ method: 'DELETE', url: '/v1/experiments/proactive-chat' });
    expect(del.statusCode).toBe(409);
    // Names from the request that could be personal data are not echoed.
    const named = await t.server.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: { ...EXPERIMENT, id: 'other', arms: { 'jane.doe@example.com': 0.5, holdout: 0.5 } },
    });
    expect(named.statusCode).toBe(400);
    expect(named.body).not.toContain('jane');
    expect(named.json().details[0].pointer).toMatch(/^\/arms\/hash:[0-9a-f]{16}$/);
    // A number JSON cannot carry back (1e999 parses as Infinity) is refused, not stored as null.
    const infinite = await t.server.inject({
      method: 'POST',
      url: '/v1/experiments',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...EXPERIMENT, id: 'other' }).replace(
        '"min_units_per_arm":50',
        '"min_units_per_arm":1e999',
      ),
    });
    expect(infinite.statusCode).toBe(400);
    expect(infinite.json().details).toEqual([
      { pointer: '/min_units_per_arm', reason: 'must be <= 1000000000' },
    ]);
    const yaml = await t.server.inject({
      method: 'POST',
      url: '/v1/experiments',
      headers: { 'content-type': 'application/yaml' },
      payload:
        'id: from-yaml\narms: { treatment: 0.9, holdout: 0.1 }\nmetrics:\n  - { name: converted, type: binary, event_type: conversion }\n',
    });
    expect(yaml.statusCode).toBe(201);
    expect(yaml.json().definition.arms).toEqual({ treatment: 0.9, holdout: 0.1 });
    const removed = await t.server.inject({ method: 'DELETE', url: '/v1/experiments/from-yaml' });
    expect(removed.statusCode).toBe(204);
    const again = await t.server.inject({ method: 'DELETE', url: '/v1/experiments/from-yaml' });
    expect(again.statusCode).toBe(404);
    const missing = await t.server.inject({ method: 'GET', url: '/v1/experiments/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('not_found');
  });
});

describe('experiments across a restart', () => {
  it('keeps API experiments and their units, on both stores', async () => {
    for (const target of testStores()) {
      const first = await createTestApp({ store: await target.openPersistent() });
      await first.app.start();
      const created = await first.server.inject({
        method: 'POST',
        url: '/v1/experiments',
        payload: EXPERIMENT,
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ id: 'proactive-chat', source: 'api', definition: EXPERIMENT });
      await post(first, traffic(Date.now() - 6 * 3_600_000));
      first.app.evaluate();
      await first.close();

      const second = await createTestApp({ store: await target.openPersistent() });
      await second.app.start();
      second.app.evaluate();
      const body = (
        await second.server.inject({ method: 'GET', url: '/v1/experiments/proactive-chat' })
      ).json();
      expect(body.source).toBe('api');
      expect(body.result.units.total).toBe(1500);
      // Arms keep their order (and units their arm) across the store.
      expect(body.result.arms.map((a: { arm: string; units: number }) => [a.arm, a.units])).toEqual([
        ['treatment', 1200],
        ['holdout', 300],
      ]);
      expect(body.result.metrics[1].arms[1].units).toBe(300);
      // The lift was reported before the restart: not again after it.
      const findings = await second.server.inject({ method: 'GET', url: '/v1/findings?kind=lift_positive' });
      const items = findings.json().items as Array<{ count: number }>;
      expect(items.reduce((sum, f) => sum + f.count, 0)).toBe(2); // converted and revenue, once each
      const del = await second.server.inject({ method: 'DELETE', url: '/v1/experiments/proactive-chat' });
      expect(del.statusCode).toBe(204);
      await second.close();

      const third = await createTestApp({ store: await target.openPersistent() });
      const list = await third.server.inject({ method: 'GET', url: '/v1/experiments' });
      expect(list.json().experiments).toEqual([]);
      await third.close();
      await target.cleanup();
    }
  });
});
