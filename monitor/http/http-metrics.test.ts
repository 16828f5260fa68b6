import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

describe('earshot_http_requests_total', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts requests by registered route, method and code, so a producer whose every request fails shows', async () => {
    const metrics = async () => (await t.server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(await metrics()).toContain(
      'earshot_http_requests_total{route="/v1/events",method="POST",code="400"} 0',
    );
    await t.server.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: '{oops',
    });
    await t.server.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    await t.server.inject({ method: 'GET', url: '/no/such/path/user@example.com' });
    const body = await metrics();
    expect(body).toContain('earshot_http_requests_total{route="/v1/events",method="POST",code="400"} 1');
    expect(body).toContain('earshot_http_requests_total{route="/v1/events",method="POST",code="415"} 1');
    expect(body).toContain('earshot_http_requests_total{route="unmatched",method="GET",code="404"} 1');
    expect(body).not.toContain('example.com');
  });
});
