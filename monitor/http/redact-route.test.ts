import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saltedHash } from '../findings/safe-token.js';
import { createTestApp, type TestApp } from './test-app.js';
import { message } from './test-events.js';

describe('POST /v1/redact', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      config: { detectors: { pii: { operators: { default: 'replace', CREDIT_CARD: 'mask' } } } },
    });
  });
  afterAll(() => t?.close());

  const post = (payload: unknown, contentType = 'application/json') =>
    t.server.inject({
      method: 'POST',
      url: '/v1/redact',
      headers: { 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('redacts a text with the configured operators and lists the entities with offsets', async () => {
    const res = await post({ text: 'card 4111 1111 1111 1111, mail jane.doe@example.com' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      redacted: 'card **** **** **** 1111, mail <EMAIL_ADDRESS>',
      entities: [
        { entity: 'CREDIT_CARD', start: 5, end: 24, score: expect.any(Number) },
        { entity: 'EMAIL_ADDRESS', start: 31, end: 51, score: 1 },
      ],
    });
  });

  it('redacts an event under its contract and names the contract', async () => {
    const event = message({ text: 'mail jane.doe@example.com', user_id: 'alice-77' });
    const res = await post(event);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      redacted: Record<string, unknown>;
      entities: Array<{ pointer: string }>;
      contract: unknown;
    }>();
    expect(body.contract).toEqual({ name: 'conversation.message', version: '1.1.0' });
    expect(body.redacted.text).toBe('mail ****.***@*******.***');
    expect(body.redacted.user_id).toBe(saltedHash('alice-77'));
    expect(body.entities.map((e) => e.pointer)).toEqual(['/text']);
    expect(res.body).not.toContain('jane.doe');
  });

  it('redacts every string of an event no contract knows', async () => {
    const res = await post({ event_type: 'shop.order', note: 'ship to jane.doe@example.com' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      redacted: { event_type: 'shop.order', note: 'ship to <EMAIL_ADDRESS>' },
      contract: null,
    });
  });

  it('answers 400 for bodies that are not one JSON object, without echoing them', async () => {
    for (const payload of ['[1,2]', '"jane.doe@example.com"', '{"text": 42}', '{"text": "jane.doe@exa']) {
      const res = await post(payload);
      expect(res.statusCode, payload).toBe(400);
      expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expect(res.body).not.toContain('jane.doe');
    }
    expect((await post('', 'application/json')).statusCode).toBe(400);
    expect((await post('text=1', 'text/plain')).statusCode).toBe(415);
  });

  it('keeps serving after bad input', async () => {
    expect((await post({ text: 'nothing here' })).json()).toEqual({ redacted: 'nothing here', entities: [] });
  });
});
