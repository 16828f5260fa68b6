import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrafficGenerator } from '../generator/generator.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createTestApp, type TestApp } from './test-app.js';

/** The store with a switch that makes finding writes fail, as an unreachable database would. */
function breakable(store: Store): { store: Store; setDown(down: boolean): void } {
  let down = false;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'writeUnit' && down) return () => Promise.reject(new Error('connection refused'));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, setDown: (v) => (down = v) };
}

describe('ingest while the store is down', () => {
  let t: TestApp;
  let setDown: (down: boolean) => void;
  beforeAll(async () => {
    const b = breakable(await openStore({ dataDir: 'memory://' }));
    setDown = b.setDown;
    t = await createTestApp({ store: b.store, config: { store: { maxQueue: 20 } } });
  });
  afterAll(async () => {
    setDown(false);
    await t.close();
  });

  it('answers 503 with Retry-After before findings would be dropped, and keeps every one accepted', async () => {
    const generator = new TrafficGenerator({
      seed: 3,
      start: new Date('2026-01-01T00:00:00Z'),
      eventsPerSecond: 0.05,
      faults: { unknown_attribute: 0.3, missing_required: 0.3, pii_in_text: 0.2 },
    });
    const post = () =>
      t.server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: generator
          .batch(50)
          .map((g) => g.raw)
          .join('\n'),
      });
    setDown(true);
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 200 && refused === undefined; i++) {
      const res = await post();
      if (res.statusCode === 503) refused = res;
      else expect(res.statusCode).toBe(200);
      // A flush while the store is down keeps its rows for the next one.
      await t.app.flusher.flush().catch(() => undefined);
    }
    expect(refused, 'the queue never filled').toBeDefined();
    expect(refused!.headers['retry-after']).toBe('10');
    expect(refused!.json()).toMatchObject({ error: 'store_backlog' });
    expect(t.app.writer.dropped()).toBe(0);
    const waiting = t.app.writer.queueDepth() + t.app.flusher.heldRows().findings;
    expect(waiting).toBeGreaterThanOrEqual(16);

    // The store is back: the queue drains into it, and ingest is accepted again.
    setDown(false);
    await t.app.flusher.flush();
    expect(t.app.writer.queueDepth()).toBe(0);
    expect(t.app.flusher.heldRows().findings).toBe(0);
    expect(t.app.writer.dropped()).toBe(0);
    expect((await post()).statusCode).toBe(200);
  });
});
