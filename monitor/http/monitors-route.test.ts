import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

describe('GET /v1/monitors', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('lists every monitored attribute of the contracts seen, collecting until a reference exists', async () => {
    t = await createTestApp();
    const rc = t.app.registry.resolve('conversation.ended', null);
    if (!rc.ok) throw new Error(rc.message);
    // A contract with a distribution monitor, published as a data team would.
    await t.app.publishContract({
      ...rc.resolved.contract,
      version: '1.2.0',
      monitors: {
        distribution: { attributes: { '/resolution': 'categorical', '/handle_time_seconds': 'numeric' } },
      },
    });
    const now = new Date().toISOString();
    const event = {
      event_id: '00000000-0000-4000-8000-000000000001',
      event_type: 'conversation.ended',
      schema_version: '1.2.0',
      occurred_at: now,
      user_id: 'u-1',
      conversation_id: 'c-1',
      channel: 'chat',
      resolution: 'resolved',
      handle_time_seconds: 120,
    };
    const posted = await t.server.inject({ method: 'POST', url: '/v1/events', payload: [event] });
    expect(posted.statusCode).toBe(200);
    t.app.evaluate();
    const res = await t.server.inject({ method: 'GET', url: '/v1/monitors' });
    expect(res.statusCode).toBe(200);
    expect(res.json().monitors).toEqual([
      {
        detector: 'distribution',
        contract: 'conversation.ended',
        attribute: '/resolution',
        type: 'categorical',
        state: 'collecting',
        reading: null,
      },
      {
        detector: 'distribution',
        contract: 'conversation.ended',
        attribute: '/handle_time_seconds',
        type: 'numeric',
        state: 'collecting',
        reading: null,
      },
    ]);
  });
});
