import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import type { Contract } from '../registry/contract.js';
import { createTestApp, type TestApp } from './test-app.js';
import { message } from './test-events.js';

/** A small contract of its own, so publishing does not depend on the shipped ones' details. */
const TICKET_V1: Contract = {
  contract: 'support.ticket',
  version: '1.0.0',
  status: 'active',
  owner: 'support-data@example.com',
  compatibility: 'backward',
  purposes: ['analytics'],
  schema: {
    type: 'object',
    // Closed, so that adding an optional attribute keeps backward compatibility.
    additionalProperties: false,
    required: ['event_id', 'event_type', 'priority'],
    properties: {
      event_id: { type: 'string' },
      event_type: { const: 'support.ticket' },
      schema_version: { type: 'string' },
      priority: { enum: ['low', 'high'] },
      note: { type: 'string' },
    },
  },
  attributes: { '/note': { pii: 'free_text', redact: 'mask' } },
};

const withSchema = (base: Contract, version: string, change: (schema: Record<string, unknown>) => void) => {
  const next = structuredClone(base);
  next.version = version;
  change(next.schema);
  return next;
};

/** 1.1.0 adds an optional attribute: backward compatible, a minor bump. */
const TICKET_V11 = withSchema(TICKET_V1, '1.1.0', (s) => {
  (s.properties as Record<string, unknown>).channel = { type: 'string' };
});

const ticket = (extra: Record<string, unknown> = {}) => ({
  event_id: `t-${Math.random().toString(36).slice(2)}`,
  event_type: 'support.ticket',
  priority: 'low',
  ...extra,
});

describe('contracts API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const publish = (payload: string, contentType = 'application/json') =>
    t.server.inject({
      method: 'POST',
      url: '/v1/contracts',
      headers: { 'content-type': contentType },
      payload,
    });
  const get = (url: string) => t.server.inject({ method: 'GET', url });
  const events = (batch: unknown[]) =>
    t.server.inject({ method: 'POST', url: '/v1/events', payload: batch as object[] });

  describe('reading', () => {
    it('lists the shipped contracts with their versions, statuses and latest active version', async () => {
      const res = await get('/v1/contracts');
      expect(res.statusCode).toBe(200);
      const { contracts } = res.json<{ contracts: Array<{ name: string }> }>();
      expect(contracts.map((c) => c.name)).toEqual(
        expect.arrayContaining(['conversation.message', 'conversation.started', 'consent.updated']),
      );
      expect(contracts.find((c) => c.name === 'conversation.message')).toEqual({
        name: 'conversation.message',
        versions: [
          expect.objectContaining({ version: '1.0.0', compatibility: expect.any(String) }),
          expect.objectContaining({ version: '1.1.0', status: 'active', compatibility: 'backward' }),
        ],
        latest_active: '1.1.0',
      });
    });

    it('shows one contract with every version and its history', async () => {
      const res = await get('/v1/contracts/conversation.message');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ name: 'conversation.message', latest_active: '1.1.0' });
      expect(body.versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0', '1.1.0']);
      expect(body.history).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            contract: 'conversation.message',
            version: '1.0.0',
            hash: expect.any(String),
          }),
          expect.objectContaining({ contract: 'conversation.message', version: '1.1.0' }),
        ]),
      );
    });

    it('answers the contract document of one version', async () => {
      const res = await get('/v1/contracts/conversation.message/1.1.0');
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc).toMatchObject({
        contract: 'conversation.message',
        version: '1.1.0',
        status: 'active',
        owner: expect.any(String),
        attributes: { '/text': { redact: 'mask' } },
      });
      expect(doc.schema.required).toContain('text');
      expect(doc.schema.properties.speaker.enum).toEqual(['customer', 'agent', 'bot']);
    });

    it('answers 404 not_found for an unknown contract or version', async () => {
      for (const url of [
        '/v1/contracts/no.such',
        '/v1/contracts/no.such/1.0.0',
        '/v1/contracts/conversation.message/9.9.9',
      ]) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toEqual({ error: 'not_found', message: expect.any(String) });
      }
    });
  });

  describe('publishing', () => {
    it('publishes a new contract (201) that applies to the next events', async () => {
      const before = await events([ticket()]);
      expect(before.json().results[0].findings[0].kind).toBe('unknown_contract');

      const res = await publish(JSON.stringify(TICKET_V1));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        contract: 'support.ticket',
        version: '1.0.0',
        compatible: true,
        changes: [],
        actualBump: 'initial',
      });

      const after = await events([ticket(), ticket({ priority: 'urgent' })]);
      expect(after.json().results).toMatchObject([
        { status: 'ok', findings: [] },
        { status: 'violation', findings: [{ kind: 'enum_violation', attribute: '/priority' }] },
      ]);
      const metrics = (await get('/metrics')).body;
      expect(metrics).toContain(
        'earshot_events_total{contract="support.ticket",version="1.0.0",outcome="ok"} 1',
      );
    });

    it('publishes a compatible new version from YAML with its changes and suggested bump', async () => {
      const res = await publish(toYaml(TICKET_V11), 'application/yaml');
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        contract: 'support.ticket',
        version: '1.1.0',
        mode: 'backward',
        compatible: true,
        previous: '1.0.0',
        suggestedBump: 'minor',
        actualBump: 'minor',
        changes: [expect.objectContaining({ pointer: expect.stringContaining('channel'), backward: true })],
      });

      const listed = await get('/v1/contracts/support.ticket');
      expect(listed.json()).toMatchObject({
        latest_active: '1.1.0',
        history: [
          { version: '1.0.0', source: 'api' },
          { version: '1.1.0', source: 'api' },
        ],
      });
      const checked = await events([ticket({ schema_version: '1.1.0', channel: 'chat' })]);
      expect(checked.json().results[0]).toMatchObject({ status: 'ok' });
    });

    it('accepts text/yaml too, and the same content again answers 200', async () => {
      const res = await publish(toYaml(TICKET_V11), 'text/yaml');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ version: '1.1.0', compatible: true });
    });

    it('refuses a version that breaks its declared compatibility: 409 with pointers and reasons', async () => {
      const breaking = withSchema(TICKET_V11, '1.2.0', (s) => {
        (s.required as string[]).push('note');
        (s.properties as Record<string, Record<string, unknown>>).priority = { enum: ['high'] };
      });
      const res = await publish(JSON.stringify(breaking));
      expect(res.statusCode).toBe(409);
      const body = res.json();
      expect(body).toMatchObject({
        error: 'incompatible_contract',
        message: expect.stringContaining('backward'),
      });
      expect(body.details).toEqual([
        {
          pointer: '/priority',
          reason: expect.stringMatching(/^against 1\.1\.0: .*breaks backward compatibility/),
        },
        {
          pointer: '/note',
          reason: expect.stringMatching(/^against 1\.1\.0: .*became required.*breaks backward/),
        },
      ]);

      const version = await get('/v1/contracts/support.ticket/1.2.0');
      expect(version.statusCode).toBe(404);
    });

    it('refuses a version that exists with other content: 409 version_exists', async () => {
      const changed = { ...TICKET_V1, owner: 'someone-else@example.com' };
      const res = await publish(JSON.stringify(changed));
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({
        error: 'version_exists',
        details: [{ pointer: '/version', reason: expect.any(String) }],
      });
    });

    it('refuses a contract that breaks the contract format: 400 invalid_contract with pointers', async () => {
      const { owner: _owner, ...noOwner } = TICKET_V1;
      const res = await publish(
        JSON.stringify({ ...noOwner, version: '2.0.0', status: 'live', extra_key: 1 }),
      );
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.error).toBe('invalid_contract');
      expect(body.details).toEqual(
        expect.arrayContaining([
          { pointer: '/', reason: 'missing required key "owner"' },
          { pointer: '/status', reason: expect.stringContaining('must be one of') },
        ]),
      );
    });

    it('refuses YAML that does not parse without quoting it, and malformed JSON', async () => {
      const yaml = await publish(
        'contract: [unclosed\nowner: secret-owner@example.com\n',
        'application/yaml',
      );
      expect(yaml.statusCode).toBe(400);
      expect(yaml.json()).toMatchObject({
        error: 'invalid_contract',
        details: [{ pointer: '/', reason: expect.stringContaining('line') }],
      });
      expect(yaml.body).not.toContain('secret-owner');

      const json = await publish('{"contract": "support.ticket",');
      expect(json.statusCode).toBe(400);
      expect(json.json()).toEqual({ error: 'malformed_json', message: expect.any(String) });

      const empty = await publish('');
      expect(empty.statusCode).toBe(400);
    });

    it('refuses other content types with 415', async () => {
      const res = await publish(JSON.stringify(TICKET_V1), 'application/x-ndjson');
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ error: 'unsupported_media_type' });
      const ok = await events([message()]);
      expect(ok.statusCode).toBe(200);
    });
  });
});
