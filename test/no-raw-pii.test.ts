import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../monitor/app.js';
import { buildConfig } from '../monitor/config/config.js';
import { buildServer } from '../monitor/http/server.js';
import { createLogger } from '../monitor/logger.js';
import type { SqlExecutor } from '../monitor/store/sql.js';
import type { Store } from '../monitor/store/store.js';
import { testStores } from '../monitor/store/test-stores.js';

/**
 * The guarantee compliance officers rely on: raw PII sent to earshot never
 * reaches the store, the logs or any API answer. A corpus of personal data is
 * sent every way earshot accepts it (free text, unknown attributes, nested
 * arrays, object keys, event ids, event types, versions, bad values), then the
 * database tables, every log line and every answer are searched for each raw
 * value.
 */
const RAW = [
  'jane.doe@example.com',
  'rahul.k+orders@example.org',
  '+44 20 7946 0958',
  '(415) 555-0123',
  '4111 1111 1111 1111',
  '5500-0000-0000-0004',
  'GB82 WEST 1234 5698 7654 32',
  'DE89370400440532013000',
  '123-45-6789',
  'AB 12 34 56 C',
  '192.168.17.42',
  '2001:db8:85a3::8a2e:370:7334',
  '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
  'https://admin:hunter2@db.example.com/prod',
];

const MESSAGE_ID = (i: number) => `0b6c3d2e-4f5a-4b6c-8d7e-${String(i).padStart(12, '0')}`;

function message(i: number, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: MESSAGE_ID(i),
    event_type: 'conversation.message',
    schema_version: '1.1.0',
    occurred_at: '2026-03-01T10:00:00Z',
    user_id: `u_${i}`,
    conversation_id: `c_${i}`,
    channel: 'chat',
    turn: 1,
    speaker: 'customer',
    text,
    language: 'en',
    ...extra,
  };
}

function events(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  RAW.forEach((raw, i) => {
    out.push(message(i * 10 + 1, `hi, you can use ${raw} for that`));
    // In an attribute the closed contract does not know, and inside nested arrays of one.
    out.push(message(i * 10 + 2, 'hello', { note: raw, history: [{ said: `it was ${raw}` }] }));
    // As an object key, as a value of the wrong type, as the event id.
    out.push(message(i * 10 + 3, 'hello', { [raw]: true }));
    out.push(message(i * 10 + 4, 'hello', { turn: raw }));
    out.push({ ...message(i * 10 + 5, 'hello'), event_id: raw });
    // Naming the contract and the version.
    out.push({ ...message(i * 10 + 6, 'hello'), event_type: raw });
    out.push({ ...message(i * 10 + 7, 'hello'), schema_version: raw });
  });
  return out;
}

function logSink(lines: string[]): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
}

async function dumpTables(store: Store): Promise<string> {
  // The test reads the tables as the database holds them, past the store's API.
  const sql = (store as unknown as { sql: SqlExecutor }).sql;
  const { rows } = await sql.query<{ t: string }>(
    `SELECT string_agg(t, E'\\n') AS t FROM (
       SELECT row_to_json(f)::text AS t FROM findings f
       UNION ALL SELECT row_to_json(c)::text FROM contract_versions c) x`,
  );
  return rows[0]?.t ?? '';
}

function leaked(haystack: string): string[] {
  // JSON escapes '/' and '+' never, but answers may be JSON-encoded: search both forms.
  return RAW.filter((raw) => haystack.includes(raw) || haystack.includes(JSON.stringify(raw).slice(1, -1)));
}

describe.each(testStores())('no raw PII leaves earshot ($name)', (target) => {
  let app: App;
  let server: FastifyInstance;
  let store: Store;
  const logs: string[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    store = await target.open();
    const config = buildConfig({
      store: { dataDir: 'memory://', flushIntervalMs: 50 },
      log: { level: 'trace' },
      privacy: { hashSalt: 'no-raw-pii' },
    });
    app = await createApp(config, {
      store,
      logger: createLogger('trace', logSink(logs)),
      processMetrics: false,
    });
    await app.start();
    server = await buildServer(app);
    await server.ready();
  });

  afterAll(async () => {
    await server.close();
    await app.stop();
    await target.cleanup();
  });

  it('finds every raw value in the corpus as a leak', async () => {
    const all = events();
    for (const mode of ['observe', 'enforce', 'redact']) {
      const res = await server.inject({ method: 'POST', url: `/v1/events?mode=${mode}`, payload: all });
      expect(res.statusCode).toBe(200);
      answers.push(res.body);
      const ndjson = await server.inject({
        method: 'POST',
        url: `/v1/events?mode=${mode}`,
        headers: { 'content-type': 'application/x-ndjson' },
        payload: `${all.map((e) => JSON.stringify(e)).join('\n')}\n{"broken": "${RAW[0]}"`,
      });
      expect(ndjson.statusCode).toBe(200);
      answers.push(ndjson.body);
    }
    // Every free-text leak was caught.
    const first = JSON.parse(answers[0]!) as { results: Array<{ findings: Array<{ kind: string }> }> };
    RAW.forEach((_raw, i) => {
      expect(first.results[i * 7]!.findings.map((f) => f.kind)).toContain('pii_leak');
    });
  });

  it('answers POST /v1/redact without the raw values', async () => {
    for (const raw of RAW) {
      const text = await server.inject({
        method: 'POST',
        url: '/v1/redact',
        payload: { text: `mine is ${raw}` },
      });
      expect(text.statusCode).toBe(200);
      answers.push(text.body);
      const event = await server.inject({
        method: 'POST',
        url: '/v1/redact',
        payload: message(1, `mine is ${raw}`),
      });
      expect(event.statusCode).toBe(200);
      answers.push(event.body);
    }
    const bad = await server.inject({
      method: 'POST',
      url: '/v1/redact',
      headers: { 'content-type': 'application/json' },
      payload: `{"text": "${RAW[0]}`,
    });
    expect(bad.statusCode).toBe(400);
    answers.push(bad.body);
  });

  it('keeps the raw values out of the tables, the logs and every answer', async () => {
    await app.flusher.flush();
    for (const url of ['/v1/findings?limit=1000', '/metrics', '/v1/contracts', '/healthz', '/readyz']) {
      const res = await server.inject({ method: 'GET', url });
      answers.push(res.body);
    }
    const findings = JSON.parse(answers.at(-5)!) as { items: Array<{ kind: string }> };
    expect(findings.items.some((f) => f.kind === 'pii_leak')).toBe(true);

    const tables = await dumpTables(store);
    expect(tables).toContain('pii_leak');
    expect(leaked(tables)).toEqual([]);
    expect(logs.length).toBeGreaterThan(0);
    expect(leaked(logs.join(''))).toEqual([]);
    expect(leaked(answers.join('\n'))).toEqual([]);
  });
});
