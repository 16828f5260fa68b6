import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';
import { message, ndjson, nested, started } from './test-events.js';

const BODY_LIMIT = 1024 * 1024;
const MAX_BATCH = 20;
const MAX_STRING = 1000;

interface Result {
  event_id: string | null;
  status: string;
  findings: Array<{ kind: string; attribute: string | null; contract: string | null; severity: string }>;
}

interface BatchAnswer {
  accepted: number;
  rejected: number;
  results: Result[];
  redacted?: Array<Record<string, unknown> | null>;
}

describe('POST /v1/events', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      config: {
        server: { bodyLimitBytes: BODY_LIMIT, maxBatch: MAX_BATCH },
        limits: { maxStringLength: MAX_STRING },
      },
    });
  });
  afterAll(() => t?.close());

  const post = (payload: unknown, opts: { url?: string; contentType?: string } = {}) =>
    t.server.inject({
      method: 'POST',
      url: opts.url ?? '/v1/events',
      headers: { 'content-type': opts.contentType ?? 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  const metricsText = async () => (await t.server.inject({ method: 'GET', url: '/metrics' })).body;

  /** A counter value from the exposition, 0 when the series is absent. */
  const counter = async (series: string) => {
    const line = (await metricsText()).split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.split(' ')[1]) : 0;
  };

  /** The server keeps answering after a bad request: a valid event still goes through. */
  async function expectStillServing() {
    const res = await post([message()]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 0, results: [{ status: 'ok' }] });
  }

  const kindsOf = (r: Result) => r.findings.map((f) => f.kind);

  describe('happy path', () => {
    it('checks a batch of valid events from the shipped contracts: all ok, counted in metrics', async () => {
      const series = 'earshot_events_total{contract="conversation.message",version="1.1.0",outcome="ok"}';
      const before = await counter(series);
      const events = [message(), message({ turn: 2, speaker: 'agent' }), started()];
      const res = await post(events);
      expect(res.statusCode).toBe(200);
      const body = res.json<BatchAnswer>();
      expect(body).toEqual({
        accepted: 3,
        rejected: 0,
        results: events.map((e) => ({ event_id: e.event_id, status: 'ok', findings: [] })),
      });
      expect(await counter(series)).toBe(before + 2);
      expect(
        await counter('earshot_events_total{contract="conversation.started",version="1.1.0",outcome="ok"}'),
      ).toBeGreaterThanOrEqual(1);
    });

    it('accepts a single object and a JSON content type with a charset', async () => {
      const event = message();
      const res = await post(event, { contentType: 'application/json; charset=utf-8' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        accepted: 1,
        results: [{ event_id: event.event_id, status: 'ok' }],
      });
    });

    it('stores findings that can be queried once the writer flushed', async () => {
      const incomplete = message();
      delete incomplete.language;
      const res = await post([message(), incomplete]);
      const body = res.json<BatchAnswer>();
      expect(body.results[1]).toMatchObject({ event_id: incomplete.event_id, status: 'violation' });
      expect(body.results[1]!.findings).toEqual([
        expect.objectContaining({ kind: 'missing_required', attribute: '/language' }),
      ]);
      await t.app.flusher.flush();
      const found = await t.server.inject({
        method: 'GET',
        url: '/v1/findings?kind=missing_required&contract=conversation.message',
      });
      expect(found.statusCode).toBe(200);
      const items = found.json<{ items: Array<Record<string, unknown>> }>().items;
      expect(items).toContainEqual(
        expect.objectContaining({
          detector: 'schema',
          attribute: '/language',
          version: '1.1.0',
          sample_event_ids: expect.arrayContaining([incomplete.event_id]),
        }),
      );
    });
  });

  describe('modes', () => {
    it('observe (the default) reports a violating event and keeps it accepted', async () => {
      const bad = message({ speaker: 'robot' });
      const res = await post([bad, message()]);
      expect(res.json()).toMatchObject({
        accepted: 2,
        rejected: 0,
        results: [
          { status: 'violation', findings: [{ kind: 'enum_violation', attribute: '/speaker' }] },
          { status: 'ok' },
        ],
      });
      expect(res.body).not.toContain('robot');
    });

    it('enforce rejects violators with a 200 answer and lets the others through', async () => {
      const bad = message({ turn: 'first' });
      const good = message();
      const res = await post([bad, good], { url: '/v1/events?mode=enforce' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        accepted: 1,
        rejected: 1,
        results: [
          {
            event_id: bad.event_id,
            status: 'rejected',
            findings: [{ kind: 'type_mismatch', attribute: '/turn' }],
          },
          { event_id: good.event_id, status: 'ok', findings: [] },
        ],
      });
    });

    it('redact answers copies with PII masked per the contract, ids hashed, null for refused events', async () => {
      const event = message({ text: 'call me on +44 20 7946 0958', user_id: 'alice-77' });
      const res = await post([event, 42], { url: '/v1/events?mode=redact' });
      expect(res.statusCode).toBe(200);
      const body = res.json<BatchAnswer>();
      // The phone in free text is a leak the contract does not declare.
      expect(body.results.map((r) => r.status)).toEqual(['violation', 'rejected']);
      const [copy, refused] = body.redacted!;
      expect(refused).toBeNull();
      expect(copy).toMatchObject({
        event_id: event.event_id,
        text: 'call me on +** ** **** 0958',
        speaker: 'customer',
        turn: 1,
      });
      expect(copy!.user_id).toEqual(expect.any(String));
      expect(copy!.user_id).not.toBe('alice-77');
      expect(res.body).not.toContain('7946');
      expect(res.body).not.toContain('alice-77');
    });

    it('refuses an unknown mode with 400 bad_request naming the parameter', async () => {
      const res = await post([message()], { url: '/v1/events?mode=strict' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: 'bad_request',
        message: expect.any(String),
        details: [{ pointer: '/querystring/mode', reason: 'must be one of observe, enforce, redact' }],
      });
      await expectStillServing();
    });
  });

  describe('NDJSON', () => {
    it('turns a line that is not JSON into a malformed result and checks the other lines', async () => {
      const a = message();
      const b = started();
      const body = `${ndjson(a, '{"event_id": "x", "event_type": "conversation.message", "text": "secret', '', b)}\n`;
      const res = await post(body, { contentType: 'application/x-ndjson' });
      expect(res.statusCode).toBe(200);
      const answer = res.json<BatchAnswer>();
      expect(answer).toMatchObject({ accepted: 2, rejected: 1 });
      expect(answer.results.map((r) => [r.event_id, r.status])).toEqual([
        [a.event_id, 'ok'],
        [null, 'rejected'],
        [b.event_id, 'ok'],
      ]);
      expect(answer.results[1]!.findings).toEqual([expect.objectContaining({ kind: 'malformed' })]);
      expect(res.body).not.toContain('secret');
    });

    it('refuses an NDJSON batch over the limit with 413 batch_too_large', async () => {
      const lines = Array.from({ length: MAX_BATCH + 1 }, () => message());
      const res = await post(ndjson(...lines), { contentType: 'application/x-ndjson' });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: 'batch_too_large', message: expect.any(String) });
      await expectStillServing();
    });

    it('refuses an NDJSON body with no events with 400', async () => {
      const res = await post('\n\n  \n', { contentType: 'application/x-ndjson' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'empty_body' });
    });
  });

  describe('bad input', () => {
    it('malformed JSON: 400 malformed_json, without quoting the body', async () => {
      const res = await post('[{"event_id": "1", "text": "jane@example.com"');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'malformed_json', message: expect.any(String) });
      expect(res.body).not.toContain('jane');
      await expectStillServing();
    });

    it('body over the limit: 413 body_too_large', async () => {
      const res = await post([message({ text: 'x'.repeat(BODY_LIMIT) })]);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: 'body_too_large', message: expect.any(String) });
      await expectStillServing();
    });

    it('batch over the limit: 413 batch_too_large', async () => {
      const res = await post(Array.from({ length: MAX_BATCH + 1 }, () => message()));
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({
        error: 'batch_too_large',
        message: `the batch has ${MAX_BATCH + 1} events; the limit is ${MAX_BATCH}`,
      });
      await expectStillServing();
    });

    it('wrong content type: 415 unsupported_media_type', async () => {
      for (const contentType of ['text/plain', 'application/xml', 'application/yaml']) {
        const res = await post(JSON.stringify([message()]), { contentType });
        expect(res.statusCode, contentType).toBe(415);
        expect(res.json()).toEqual({ error: 'unsupported_media_type', message: expect.any(String) });
      }
      await expectStillServing();
    });

    it('a body without a content type: 415', async () => {
      const res = await t.server.inject({ method: 'POST', url: '/v1/events', payload: Buffer.from('[{}]') });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ error: 'unsupported_media_type' });
    });

    it('empty body: 400', async () => {
      for (const payload of ['', '   ']) {
        const res = await post(payload);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: 'empty_body', message: expect.any(String) });
      }
      const none = await t.server.inject({ method: 'POST', url: '/v1/events' });
      expect(none.statusCode).toBe(400);
      expect(none.json()).toMatchObject({ error: 'empty_body' });
      await expectStillServing();
    });

    it('an event that is not an object: rejected as malformed, the others go through', async () => {
      const good = message();
      const res = await post([42, good, 'text', null, [1, 2]]);
      expect(res.statusCode).toBe(200);
      const body = res.json<BatchAnswer>();
      expect(body).toMatchObject({ accepted: 1, rejected: 4 });
      expect(body.results.map((r) => r.status)).toEqual([
        'rejected',
        'ok',
        'rejected',
        'rejected',
        'rejected',
      ]);
      for (const i of [0, 2, 3, 4]) expect(kindsOf(body.results[i]!)).toEqual(['malformed']);
      await expectStillServing();
    });

    it('an event without event_type: rejected as malformed at /event_type, the others go through', async () => {
      const bad = message();
      delete bad.event_type;
      const good = started();
      const res = await post([bad, good]);
      const body = res.json<BatchAnswer>();
      expect(body.results[0]).toMatchObject({
        event_id: bad.event_id,
        status: 'rejected',
        findings: [{ kind: 'malformed', attribute: '/event_type' }],
      });
      expect(body.results[1]).toMatchObject({ event_id: good.event_id, status: 'ok' });
      await expectStillServing();
    });

    it('an unknown contract: an unknown_contract finding, counted under __unknown__ and never by its name', async () => {
      const unknownSeries =
        'earshot_events_total{contract="__unknown__",version="__unknown__",outcome="violation"}';
      const before = await counter(unknownSeries);
      const bad = message({ event_type: 'billing.invoice_paid_by_bob' });
      const personal = message({ event_type: 'jane.doe@example.com' });
      const good = message();
      const res = await post([bad, personal, good]);
      const body = res.json<BatchAnswer>();
      expect(body.results[0]).toMatchObject({
        event_id: bad.event_id,
        status: 'violation',
        findings: [{ kind: 'unknown_contract', contract: null, attribute: '/event_type' }],
      });
      expect(body.results[1]).toMatchObject({
        status: 'violation',
        findings: [{ kind: 'unknown_contract' }],
      });
      expect(body.results[2]).toMatchObject({ status: 'ok' });
      // An identifier-like name is shown to help the producer; one that looks like personal data is hashed.
      expect(res.body).not.toContain('jane.doe');
      expect(await counter(unknownSeries)).toBe(before + 2);
      const metrics = await metricsText();
      expect(metrics).not.toContain('invoice_paid_by_bob');
      expect(metrics).not.toContain('jane.doe');
      await expectStillServing();
    });

    it('an unknown version: an unknown_version finding, the others go through', async () => {
      const bad = message({ schema_version: '7.3.1' });
      const good = message({ schema_version: '1.0.0' });
      const res = await post([bad, good]);
      const body = res.json<BatchAnswer>();
      expect(body.results[0]).toMatchObject({
        status: 'violation',
        findings: [
          { kind: 'unknown_version', contract: 'conversation.message', attribute: '/schema_version' },
        ],
      });
      expect(body.results[1]!.status).not.toBe('rejected');
      expect(await metricsText()).not.toContain('7.3.1');
      await expectStillServing();
    });

    it('deep nesting (1000 levels): rejected as malformed, the others go through', async () => {
      const deep = message({ metadata: nested(1000) });
      const good = message();
      const res = await post([deep, good]);
      expect(res.statusCode).toBe(200);
      const body = res.json<BatchAnswer>();
      expect(body.results[0]).toMatchObject({ event_id: deep.event_id, status: 'rejected' });
      expect(kindsOf(body.results[0]!)).toEqual(['malformed']);
      expect(body.results[1]).toMatchObject({ event_id: good.event_id, status: 'ok' });
      await expectStillServing();
    });

    it('a huge string (200 KB): rejected as malformed without echoing it, the others go through', async () => {
      const huge = message({ text: `${'lorem ipsum '.repeat(200_000 / 12)}tail-marker` });
      const good = message();
      const res = await post([huge, good]);
      expect(res.statusCode).toBe(200);
      const body = res.json<BatchAnswer>();
      expect(body.results[0]).toMatchObject({ event_id: huge.event_id, status: 'rejected' });
      expect(kindsOf(body.results[0]!)).toEqual(['malformed']);
      expect(body.results[1]).toMatchObject({ event_id: good.event_id, status: 'ok' });
      expect(res.body).not.toContain('lorem');
      expect(res.body).not.toContain('tail-marker');
      await expectStillServing();
    });

    it('every kind of bad event in one batch: each gets its own result, the valid one is ok', async () => {
      const noType = message();
      delete noType.event_type;
      const good = message();
      const res = await post([
        7,
        noType,
        message({ event_type: 'no.such.contract' }),
        message({ schema_version: '9.9.9' }),
        message({ metadata: nested(1000) }),
        message({ text: 'y'.repeat(200_000) }),
        good,
      ]);
      expect(res.statusCode).toBe(200);
      const body = res.json<BatchAnswer>();
      expect(body.results.map((r) => r.findings[0]?.kind ?? 'none')).toEqual([
        'malformed',
        'malformed',
        'unknown_contract',
        'unknown_version',
        'malformed',
        'malformed',
        'none',
      ]);
      expect(body.results[6]).toMatchObject({ event_id: good.event_id, status: 'ok' });
    });
  });
});
