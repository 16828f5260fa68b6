import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrafficGenerator } from '../../monitor/generator/generator.js';
import { NDJSON } from '../../monitor/http/events-route.js';
import { createTestApp, type TestApp } from '../../monitor/http/test-app.js';
import { eventsInBody, loopbackUrl, percentile, runLoad } from './load-run.js';

describe('loopbackUrl', () => {
  it('takes plain HTTP to a loopback host', () => {
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      expect(loopbackUrl(`http://${host}:8080/v1/events`).pathname).toBe('/v1/events');
    }
  });

  it('refuses any other host or scheme', () => {
    expect(() => loopbackUrl('http://example.com/v1/events')).toThrow(/loopback only/);
    expect(() => loopbackUrl('http://10.0.0.1:8080/v1/events')).toThrow(/loopback only/);
    expect(() => loopbackUrl('https://127.0.0.1/v1/events')).toThrow(/loopback only/);
  });
});

describe('eventsInBody', () => {
  it('counts NDJSON lines, JSON array items, and a JSON object as one', () => {
    expect(eventsInBody('{"a":1}\n\n{"a":2}\n', NDJSON)).toBe(2);
    expect(eventsInBody('[{"a":1},{"a":2},{"a":3}]', 'application/json')).toBe(3);
    expect(eventsInBody('{"a":1}', 'application/json')).toBe(1);
  });
});

describe('percentile', () => {
  it('takes the nearest rank, whatever the order, and 0 for none', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile([2.5], 50)).toBe(2.5);
    expect(percentile([], 99)).toBe(0);
  });
});

describe('runLoad', () => {
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp();
    url = `${await t.server.listen({ host: '127.0.0.1', port: 0 })}/v1/events`;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('posts batches over loopback and counts what came back', { timeout: 10_000 }, async () => {
    const generator = new TrafficGenerator({ seed: 7 });
    const bodies = [0, 1].map(() =>
      generator
        .batch(20)
        .map((e) => e.raw)
        .join('\n'),
    );
    const r = await runLoad({ url, body: bodies, contentType: NDJSON, connections: 2, durationSeconds: 1 });
    expect(r.connections).toBe(2);
    expect(r.eventsPerRequest).toBe(20);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.requests).toBe(r.ok + r.shed + r.otherNon2xx);
    expect(r.shed).toBe(0);
    expect(r.otherNon2xx).toBe(0);
    expect(r.errors).toBe(0);
    expect(r.timeouts).toBe(0);
    expect(r.requestsPerSecond).toBeGreaterThan(0);
    expect(r.eventsPerSecond).toBeCloseTo((r.ok * 20) / r.durationSeconds);
    expect(r.eventsPerSecond).toBeGreaterThan(0);
    expect(r.latencyP50Ms).toBeGreaterThan(0);
    expect(r.latencyP99Ms).toBeGreaterThanOrEqual(r.latencyP50Ms);
  });

  it('refuses a host that is not loopback before sending anything', async () => {
    await expect(
      runLoad({
        url: 'http://192.0.2.1/v1/events',
        body: '{}',
        contentType: 'application/json',
        connections: 1,
        durationSeconds: 1,
      }),
    ).rejects.toThrow(/loopback only/);
  });
});
