import { afterEach, describe, expect, it } from 'vitest';
import { testStores } from '../store/test-stores.js';
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

describe('monitor state across a restart', () => {
  it('is saved at shutdown and read back at start, on both stores', async () => {
    for (const target of testStores()) {
      const store = await target.openPersistent();
      const first = await createTestApp({ store });
      await first.app.start();
      const rc = first.app.registry.resolve('conversation.ended', null);
      if (!rc.ok) throw new Error(rc.message);
      const contract = {
        ...rc.resolved.contract,
        version: '1.2.0',
        monitors: { distribution: { attributes: { '/resolution': 'categorical' as const }, min_samples: 5 } },
      };
      await first.app.publishContract(contract);
      const t0 = Date.now() - 90 * 60_000;
      const events = Array.from({ length: 40 }, (_, i) => ({
        event_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        event_type: 'conversation.ended',
        schema_version: '1.2.0',
        occurred_at: new Date(t0 + i * 60_000).toISOString(),
        user_id: 'u-1',
        conversation_id: `c-${i}`,
        channel: 'chat',
        resolution: i % 3 === 0 ? 'unresolved' : 'resolved',
      }));
      await first.server.inject({ method: 'POST', url: '/v1/events', payload: events });
      const now = new Date(t0 + 61 * 60_000);
      first.app.evaluate(now);
      const before = first.app.detectors.distribution.snapshot!();
      expect(before.map((s) => s.contract)).toEqual(['conversation.ended']);
      await first.close();

      const second = await createTestApp({ store: await target.openPersistent() });
      await second.app.start();
      await second.app.publishContract(contract);
      // The contract's first event creates the monitor, which takes up the saved windows.
      await second.server.inject({
        method: 'POST',
        url: '/v1/events',
        payload: [{ ...events[39], event_id: '00000000-0000-4000-8000-999999999999' }],
      });
      const after = second.app.detectors.distribution.snapshot!();
      const windows = (s: unknown) =>
        (s as { watched: Array<{ windows: { buckets: unknown[] } }> }).watched[0]!.windows.buckets.length;
      expect(windows(after[0]!.state)).toBe(windows(before[0]!.state));
      await second.close();
      await target.cleanup();
    }
  });
});

describe('calibration and embedding monitors through the service', () => {
  it('joins labels to predictions and samples embeddings from posted events', async () => {
    const t = await createTestApp();
    try {
      const now = Date.now();
      const at = (i: number) => new Date(now - 30 * 60_000 + i * 1000).toISOString();
      const id = (prefix: string, i: number) => `00000000-0000-4000-${prefix}-${String(i).padStart(12, '0')}`;
      const messages = Array.from({ length: 250 }, (_, i) => ({
        event_id: id('8000', i),
        event_type: 'conversation.message',
        schema_version: '1.1.0',
        occurred_at: at(i),
        user_id: `u-${i}`,
        conversation_id: `c-${i}`,
        channel: 'chat',
        turn: 1,
        speaker: 'customer',
        text: 'where is my parcel',
        language: 'en',
        intent: 'order_status',
        intent_confidence: 0.9,
        model_version: 'intent-v7',
        embedding: Array.from({ length: 8 }, (_, k) => Math.sin(i + k)),
      }));
      // Labels arrive after their predictions, in the reverse order; four in five agree with the model.
      const labels = messages.map((m, i) => ({
        event_id: id('9000', i),
        event_type: 'intent.label',
        schema_version: '1.1.0',
        occurred_at: at(300 + (250 - i)),
        user_id: m.user_id,
        conversation_id: m.conversation_id,
        channel: 'chat',
        message_id: m.event_id,
        intent: i % 5 === 0 ? 'refund' : 'order_status',
        labeler: 'qa-7',
      }));
      for (const batch of [messages, labels.reverse()]) {
        const res = await t.server.inject({ method: 'POST', url: '/v1/events', payload: batch });
        expect(res.json().rejected).toBe(0);
      }
      t.app.evaluate();
      const monitors = (await t.server.inject({ method: 'GET', url: '/v1/monitors' })).json()
        .monitors as Array<Record<string, unknown> & { reading: Record<string, unknown> | null }>;
      const calibration = monitors.find(
        (m) => m.detector === 'calibration' && m.contract === 'conversation.message',
      );
      expect(calibration).toMatchObject({ model: 'intent-v7', attribute: '/intent' });
      expect(calibration!.reading).toMatchObject({ predictions: 250, labelled: 250, unlabelled: 0 });
      expect(calibration!.reading!.accuracy).toBeCloseTo(0.8, 10);
      expect(calibration!.reading!.expectedAccuracy).toBeCloseTo(0.9, 10);
      expect(calibration!.reading!.ece).toBeCloseTo(0.1, 10);
      const embedding = monitors.find(
        (m) => m.detector === 'embedding' && m.contract === 'conversation.message',
      );
      expect(embedding).toMatchObject({
        attribute: '/embedding',
        dims: 8,
        accepted: 250,
        state: 'collecting',
      });
      const metrics = (await t.server.inject({ method: 'GET', url: '/metrics' })).body;
      // Bins are closed on the right, as scikit-learn's calibration_curve has them: 0.9 falls in (0.8, 0.9].
      expect(metrics).toMatch(
        /earshot_calibration_statistic\{contract="conversation.message",model="intent-v7",statistic="ece"\} 0\.1/,
      );
      expect(metrics).toMatch(
        /earshot_calibration_reliability\{contract="conversation.message",model="intent-v7",bin="0.9",quantity="accuracy"\} 0\.8/,
      );
    } finally {
      await t.close();
    }
  });
});
