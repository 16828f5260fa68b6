import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { message, started } from './test-events.js';

interface Item {
  evidence: Record<string, unknown>;
  id: string;
  detector: string;
  kind: string;
  severity: string;
  contract: string | null;
  attribute: string | null;
  count: number;
  sample_event_ids: string[];
}

interface Page {
  items: Item[];
  next_cursor: string | null;
}

describe('GET /v1/findings', () => {
  let t: TestApp;

  const query = async (qs: string) => {
    const res = await t.server.inject({ method: 'GET', url: `/v1/findings${qs}` });
    return { status: res.statusCode, body: res.json() };
  };
  const page = async (qs: string) => {
    const r = await query(qs);
    expect(r.status, qs).toBe(200);
    return r.body as Page;
  };

  beforeAll(async () => {
    t = await createTestApp();
    const noLanguage = message();
    delete noLanguage.language;
    const batch = [
      message({ speaker: 'robot' }), // schema enum_violation /speaker (error)
      message({ channel: 'fax' }), // schema enum_violation /channel (error)
      noLanguage, // schema missing_required /language (error)
      message({ turn: 'one' }), // schema type_mismatch /turn (error)
      message({ event_type: 'no.such.contract' }), // schema unknown_contract (error)
      message({ schema_version: '1.0.0' }), // ok or deprecated_version warning, whatever 1.0.0 says
      started({ customer_tier: 'gold' }), // schema enum_violation on conversation.started
      'not an event', // schema malformed
    ];
    await t.server.inject({ method: 'POST', url: '/v1/events', payload: batch });
    await t.server.inject({ method: 'POST', url: '/v1/events', payload: [message({ speaker: 'robot' })] });
    await t.app.flusher.flush();
  });
  afterAll(() => t?.close());

  it('answers the stored findings, newest first, deduplicated with counts', async () => {
    const { items, next_cursor } = await page('');
    expect(next_cursor).toBeNull();
    expect(items.length).toBeGreaterThanOrEqual(7);
    const speaker = items.find((f) => f.attribute === '/speaker');
    expect(speaker).toMatchObject({ detector: 'schema', kind: 'enum_violation', count: 2 });
    expect(speaker!.sample_event_ids).toHaveLength(2);
    expect(JSON.stringify(items)).not.toContain('robot');
  });

  it('filters by kind, severity, detector and contract, combined with AND', async () => {
    const enums = await page('?kind=enum_violation');
    expect(enums.items.map((f) => `${f.contract}${f.attribute}`).sort()).toEqual([
      'conversation.message/channel',
      'conversation.message/speaker',
      'conversation.started/customer_tier',
    ]);
    const started = await page('?kind=enum_violation&contract=conversation.started');
    expect(started.items.map((f) => f.attribute)).toEqual(['/customer_tier']);
    const errors = await page('?severity=error&detector=schema');
    expect(errors.items.length).toBeGreaterThanOrEqual(7);
    expect(errors.items.every((f) => f.severity === 'error' && f.detector === 'schema')).toBe(true);
    expect((await page('?detector=no_such_detector')).items).toEqual([]);
    const unknown = await page('?kind=unknown_contract');
    expect(unknown.items).toEqual([
      expect.objectContaining({
        contract: null,
        attribute: '/event_type',
        evidence: { event_type: 'no.such.contract' },
      }),
    ]);
    expect((await page('?kind=malformed')).items).toEqual([
      expect.objectContaining({ kind: 'malformed', contract: null }),
    ]);
  });

  it('filters by time: since in the future or until in the past find nothing', async () => {
    expect((await page('?since=2999-01-01T00:00:00Z')).items).toEqual([]);
    expect((await page('?until=2000-01-01T00:00:00Z')).items).toEqual([]);
    const all = await page('');
    const window = await page('?since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00%2B02:00');
    expect(window.items.map((f) => f.id)).toEqual(all.items.map((f) => f.id));
  });

  it('pages with limit and next_cursor until the cursor is null, each finding once', async () => {
    const all = (await page('?limit=1000')).items.map((f) => f.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(2);
      seen.push(...p.items.map((f) => f.id));
      cursor = p.next_cursor;
      pages++;
    } while (cursor && pages < 50);
    expect(cursor).toBeNull();
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(seen).toEqual(all);
  });

  it('refuses bad query values with 400 bad_request naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['?limit=0', '/querystring/limit'],
      ['?limit=1001', '/querystring/limit'],
      ['?limit=ten', '/querystring/limit'],
      ['?since=yesterday', '/querystring/since'],
      ['?until=2025-13-45', '/querystring/until'],
      ['?severity=loud', '/querystring/severity'],
      ['?kind=oops', '/querystring/kind'],
      ['?cursor=not-a-cursor', '/querystring/cursor'],
    ];
    for (const [qs, pointer] of cases) {
      const r = await query(qs);
      expect(r.status, qs).toBe(400);
      expect(r.body, qs).toMatchObject({
        error: 'bad_request',
        message: expect.any(String),
        details: [expect.objectContaining({ pointer })],
      });
      expect(r.body.message, qs).not.toContain('not-a-cursor');
    }
    expect((await query('')).status).toBe(200);
  });

  it('refuses an unknown (e.g. mistyped) query parameter with 400 naming it, not unfiltered results', async () => {
    const r = await query('?sevrity=error');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('sevrity'),
      details: [expect.objectContaining({ pointer: '/querystring/sevrity' })],
    });
    const known = await query('?severity=error&limit=5');
    expect(known.status).toBe(200);

    // A parameter name that could be request content is refused without being repeated.
    const odd = await query(`?${encodeURIComponent('jane.doe@example.com')}=1`);
    expect(odd.status).toBe(400);
    expect(JSON.stringify(odd.body)).not.toContain('jane.doe');
  });
});
