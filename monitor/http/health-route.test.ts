import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createTestApp, type TestApp } from './test-app.js';

/** The store with a switch that makes ping() fail, as a lost database would. */
function breakableStore(store: Store): { store: Store; setDown(down: boolean): void } {
  let down = false;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'ping' && down) return () => Promise.reject(new Error('connection refused'));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    store: wrapped,
    setDown(value) {
      down = value;
    },
  };
}

describe('health, readiness, metrics and unknown routes', () => {
  let t: TestApp;
  let setDown: (down: boolean) => void;

  beforeAll(async () => {
    const breakable = breakableStore(await openStore({ dataDir: 'memory://' }));
    setDown = breakable.setDown;
    t = await createTestApp({ store: breakable.store });
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.server.inject({ method: 'GET', url });

  it('GET /healthz answers 200 ok', async () => {
    const res = await get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz follows the store: 200 while it answers, 503 unavailable while it does not', async () => {
    expect((await get('/readyz')).json()).toEqual({ status: 'ok' });

    setDown(true);
    const down = await get('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable' });
    // Liveness does not depend on the store.
    expect((await get('/healthz')).statusCode).toBe(200);

    setDown(false);
    expect((await get('/readyz')).statusCode).toBe(200);
  });

  it('GET /metrics answers the Prometheus text exposition with every known series at zero', async () => {
    const res = await get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('# TYPE earshot_events_total counter');
    expect(res.body).toContain(
      'earshot_events_total{contract="conversation.message",version="1.1.0",outcome="violation"} 0',
    );
    expect(res.body).toContain(
      'earshot_events_total{contract="__unknown__",version="__unknown__",outcome="ok"} 0',
    );
    expect(res.body).toMatch(/^earshot_build_info\{/m);
  });

  it('answers an unknown route with 404 not_found, without echoing the path', async () => {
    const res = await get('/v1/nothing-here/jane@example.com');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: expect.any(String) });
    expect(res.body).not.toContain('jane');
    const post = await t.server.inject({
      method: 'POST',
      url: '/v1/nothing-here',
      headers: { 'content-type': 'application/json' },
      payload: '{"text": "x"}',
    });
    expect(post.statusCode).toBe(404);
  });

  it('answers a badly encoded URL with 400 bad_request, without echoing it', async () => {
    const res = await get('/v1/contracts/jane%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_request', message: expect.any(String) });
    expect(res.body).not.toContain('jane');
    expect((await get('/healthz')).statusCode).toBe(200);
  });
});
