import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-app.js';
import { generateKey, hashKey, KeyRing, presentedKey } from './api-keys.js';
import { ROLES, ROUTE_ACCESS, type Role } from './roles.js';

/** Every registered method and route, from Fastify's own route tree ("GET /v1/contracts/:name"). */
function registeredRoutes(server: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│├└─\s]*)(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4 - 1;
    stack.length = depth;
    stack.push(m[2]!);
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') out.push(`${method} ${stack.join('')}`);
  }
  return out.sort();
}

/** A request that reaches the route's own validation: the auth answer is what is tested, not the route's. */
function requestFor(route: string): InjectOptions {
  const [method, path] = route.split(' ') as ['GET' | 'POST' | 'DELETE', string];
  const url = path
    .replace(':user_id', 'u-1')
    .replace(':id', 'x')
    .replace(':name', 'conversation.ended')
    .replace(':version', '1.0.0');
  return method === 'POST' || method === 'DELETE' ? { method, url, payload: {} } : { method, url };
}

const keys: Record<Role | 'all', string> = {
  producer: generateKey(),
  operator: generateKey(),
  auditor: generateKey(),
  all: generateKey(),
};

describe('API keys and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      config: {
        auth: {
          enabled: true,
          metrics: 'key',
          keys: [
            ...ROLES.map((role) => ({ name: `${role}-key`, hash: hashKey(keys[role]), roles: [role] })),
            { name: 'all-key', hash: hashKey(keys.all), roles: [...ROLES] },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('names the access of every registered route', () => {
    expect(registeredRoutes(t.server)).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });

  it('answers every route to every role as the table says: 401 without a key, 403 without the role', async () => {
    for (const route of Object.keys(ROUTE_ACCESS)) {
      const access = ROUTE_ACCESS[route]!;
      const request = requestFor(route);
      const none = await t.server.inject(request);
      const unknown = await t.server.inject({
        ...request,
        headers: { authorization: `Bearer ${generateKey()}` },
      });
      if (access === 'open' || access === 'health') {
        expect(none.statusCode, route).not.toBe(401);
        continue;
      }
      expect(none.statusCode, route).toBe(401);
      expect(none.headers['www-authenticate'], route).toBe('Bearer realm="earshot"');
      expect(none.json(), route).toEqual({ error: 'unauthorized', message: expect.any(String) });
      expect(unknown.statusCode, route).toBe(401);
      for (const holder of [...ROLES, 'all'] as const) {
        const res = await t.server.inject({
          ...request,
          headers: { authorization: `Bearer ${keys[holder]}` },
        });
        const allowed = access === 'metrics' || holder === 'all' || holder === access;
        if (allowed) expect([401, 403], `${route} as ${holder}`).not.toContain(res.statusCode);
        else {
          expect(res.statusCode, `${route} as ${holder}`).toBe(403);
          expect(res.json().error).toBe('forbidden');
        }
      }
    }
  });

  it('takes the key as a bearer token or X-Api-Key, and keeps unknown paths a 404', async () => {
    const viaHeader = await t.server.inject({
      method: 'GET',
      url: '/v1/monitors',
      headers: { 'x-api-key': keys.operator },
    });
    expect(viaHeader.statusCode).toBe(200);
    expect((await t.server.inject({ method: 'GET', url: '/no/such/route' })).statusCode).toBe(404);
  });
});

describe('KeyRing', () => {
  it('finds a key by its hash only, and reads the presented key from either header', () => {
    const key = generateKey();
    expect(key).toMatch(/^esk_[A-Za-z0-9_-]{43}$/);
    const ring = new KeyRing([{ name: 'a', hash: hashKey(key), roles: ['producer'] }]);
    expect(ring.find(key)?.name).toBe('a');
    expect(ring.find(`${key}x`)).toBeNull();
    expect(presentedKey({ authorization: `Bearer ${key}` })).toBe(key);
    expect(presentedKey({ authorization: `Basic ${key}` })).toBeNull();
    expect(presentedKey({ 'x-api-key': key })).toBe(key);
    expect(presentedKey({})).toBeNull();
  });
});

describe('rate limits per key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      config: {
        auth: {
          enabled: true,
          keys: [
            { name: 'a', hash: hashKey(keys.producer), roles: ['producer', 'operator'] },
            { name: 'b', hash: hashKey(keys.operator), roles: ['operator'] },
          ],
          rateLimit: { perMinute: 3 },
        },
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After past the limit, per key, and never limits metrics or health', async () => {
    const as = (key: string) =>
      t.server.inject({ method: 'GET', url: '/v1/monitors', headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 3; i++) expect((await as(keys.producer)).statusCode).toBe(200);
    const limited = await as(keys.producer);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({
      error: 'rate_limited',
      message: expect.stringMatching(/3 requests a minute/),
    });
    // Another key has its own budget.
    expect((await as(keys.operator)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await t.server.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });
});
