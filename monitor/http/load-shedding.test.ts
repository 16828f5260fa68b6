import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

/** Keeps the event loop busy for `ms`, as a burst of work would. */
function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy.
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('load shedding', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      config: {
        server: {
          shedding: {
            maxEventLoopDelayMs: 50,
            maxEventLoopUtilization: 0,
            sampleIntervalMs: 100,
            retryAfterSeconds: 7,
          },
        },
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses ingest with 503 and Retry-After while the event loop lags, and keeps metrics and health answering', async () => {
    const event = { event_id: '00000000-0000-4000-8000-000000000001', event_type: 'conversation.ended' };
    /** Ingest answers once the loop has been idle for a few samples (building the app kept it busy too). */
    const accepted = async () => {
      let code = 0;
      for (let i = 0; i < 100 && code !== 200; i++) {
        await sleep(20);
        code = (await t.server.inject({ method: 'POST', url: '/v1/events', payload: [event] })).statusCode;
      }
      return code;
    };
    expect(await accepted()).toBe(200);
    let shed: Awaited<ReturnType<typeof t.server.inject>> | undefined;
    for (let i = 0; i < 20 && shed?.statusCode !== 503; i++) {
      // Blocked past the next sample, which then measures the delay.
      block(300);
      await sleep(1);
      shed = await t.server.inject({ method: 'POST', url: '/v1/events', payload: [event] });
    }
    expect(shed!.statusCode).toBe(503);
    expect(shed!.headers['retry-after']).toBe('7');
    expect(shed!.json()).toEqual({ error: 'overloaded', message: expect.stringMatching(/retry after 7 s/) });
    const redact = await t.server.inject({ method: 'POST', url: '/v1/redact', payload: { text: 'x' } });
    expect(redact.statusCode).toBe(503);
    // Outside the ingest routes nothing is shed: on-call can still see the overload.
    expect((await t.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const metrics = await t.server.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(
      /earshot_http_requests_total\{route="\/v1\/events",method="POST",code="503"\} [1-9]/,
    );
    // Once the loop is idle again, ingest is accepted.
    expect(await accepted()).toBe(200);
  });
});
