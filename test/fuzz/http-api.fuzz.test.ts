import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { type App, createApp } from '../../monitor/app.js';
import { buildConfig } from '../../monitor/config/config.js';
import { buildServer } from '../../monitor/http/server.js';
import { createLogger } from '../../monitor/logger.js';
import { mutate, mutationArb } from './contract-mutations.js';
import { insertionArb, insertPii } from './insert-pii.js';
import { containsRaw, emailArb, phoneArb } from './pii-arbitraries.js';

const SEED = 20_260_305;

/** One request and the raw personal data put into it. */
interface Fuzzed {
  request: InjectOptions;
  pii: string;
  /** 2xx answers of this route must not hold the value either (events and redaction). */
  answerIsPiiFree: boolean;
  /**
   * Set only for contract documents holding the value in keys or schema
   * keywords: POST /v1/contracts quotes those in its 400 answers today
   * (reported, not fixed here); every other check still applies.
   */
  errorMayEcho?: boolean;
}

const piiValueArb = fc.oneof({ weight: 3, arbitrary: emailArb }, { weight: 1, arbitrary: phoneArb });

const utf8 = new TextDecoder('utf-8');

function message(i: number): Record<string, unknown> {
  return {
    event_id: `0b6c3d2e-4f5a-4b6c-8d7e-${String(i).padStart(12, '0')}`,
    event_type: 'conversation.message',
    schema_version: '1.1.0',
    occurred_at: '2026-03-01T10:00:00Z',
    user_id: `u_${i}`,
    conversation_id: `c_${i}`,
    channel: 'chat',
    turn: 1,
    speaker: 'customer',
    text: 'hello there',
    language: 'en',
  };
}

const EXPERIMENT = {
  id: 'proactive-chat',
  description: 'Proactive chat offers, with a 20% holdout',
  arms: { treatment: 0.8, holdout: 0.2 },
  metrics: [
    { name: 'converted', type: 'binary', event_type: 'conversion' },
    { name: 'revenue', type: 'continuous', event_type: 'conversion', value: '/value' },
  ],
  min_units_per_arm: 50,
};

/** Documents a producer might send: near-valid events, random JSON, values of other types. */
const eventDocArb: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.nat({ max: 999 }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((evs) => evs.map(([i, extra]) => ({ ...message(i), ...extra }))),
  fc.nat({ max: 999 }).map(message),
  fc.jsonValue({ maxDepth: 4 }),
);

const insertionsArb = fc.array(insertionArb, { minLength: 1, maxLength: 3 });

/** Deep nesting around the value: arrays or objects, a few levels past the limits. */
const nestedArb = (raw: string) =>
  fc
    .tuple(fc.integer({ min: 30, max: 5000 }), fc.boolean(), fc.boolean())
    .map(([depth, objects, closed]) =>
      objects
        ? `${'{"a":'.repeat(depth)}"${raw}"${closed ? '}'.repeat(depth) : ''}`
        : `${'['.repeat(depth)}"${raw}"${closed ? ']'.repeat(depth) : ''}`,
    );

/** Bytes that are not JSON, with the value somewhere in them. */
const bytesArb = (raw: string) =>
  fc
    .tuple(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 50 }))
    .map(([a, b]) => `${utf8.decode(a)}${raw}${utf8.decode(b)}`);

/** Content types: the ones routes accept, near misses, and junk (the value itself included). */
const contentTypeArb = (raw: string) =>
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/x-ndjson',
    'application/yaml',
    'text/yaml',
    'text/plain',
    'application/xml',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/JSON',
    'application/json; charset=latin1',
    'application/json;;;',
    '',
    '*/*',
    raw,
    `application/json; name=${raw}`,
  );

/** A body: JSON text of a document holding the value, random bytes, NDJSON lines, deep nesting. */
const bodyArb = (raw: string, docArb: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(docArb, insertionsArb)
        .map(([doc, ins]) => JSON.stringify(insertPii(doc, raw, ins))),
    },
    { weight: 1, arbitrary: bytesArb(raw) },
    { weight: 1, arbitrary: nestedArb(raw) },
    {
      weight: 2,
      arbitrary: fc
        .array(
          fc.oneof(
            fc
              .tuple(eventDocArb, insertionsArb)
              .map(([doc, ins]) => JSON.stringify(insertPii(doc, raw, ins))),
            bytesArb(raw).map((s) => s.replaceAll('\n', ' ')),
            fc.constant(`{"broken": "${raw}"`),
            fc.constant(''),
          ),
          { minLength: 1, maxLength: 8 },
        )
        .map((lines) => lines.join('\n')),
    },
  );

const modeArb = (raw: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('observe', 'enforce', 'redact') },
    { weight: 1, arbitrary: fc.constantFrom('', 'REDACT', raw) },
  );

const postEventsArb: fc.Arbitrary<Fuzzed> = piiValueArb.chain((pii) =>
  fc
    .tuple(
      modeArb(pii),
      bodyArb(pii, eventDocArb),
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/x-ndjson') },
        { weight: 1, arbitrary: contentTypeArb(pii) },
      ),
    )
    .map(([mode, payload, type]) => ({
      request: {
        method: 'POST',
        url: `/v1/events?mode=${encodeURIComponent(mode)}`,
        headers: { 'content-type': type },
        payload,
      },
      pii,
      answerIsPiiFree: true,
    })),
);

const postRedactArb: fc.Arbitrary<Fuzzed> = piiValueArb.chain((pii) =>
  fc
    .tuple(
      fc.oneof(
        {
          weight: 2,
          arbitrary: fc.string({ maxLength: 40 }).map((s) => JSON.stringify({ text: `${s}. ${pii}. ${s}` })),
        },
        { weight: 3, arbitrary: bodyArb(pii, eventDocArb) },
        { weight: 1, arbitrary: fc.constant(JSON.stringify({ text: [pii] })) },
      ),
      fc.oneof(
        { weight: 5, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: contentTypeArb(pii) },
      ),
    )
    .map(([payload, type]) => ({
      request: { method: 'POST', url: '/v1/redact', headers: { 'content-type': type }, payload },
      pii,
      answerIsPiiFree: true,
    })),
);

/** A shipped contract, mutated, published under a version or a name of its own so its schema is compiled. */
const contractDocArb = fc
  .tuple(
    fc.array(mutationArb, { maxLength: 3 }),
    fc.nat({ max: 1_000_000 }),
    fc.constantFrom('new-name', 'next-minor', 'same'),
    fc.oneof(
      { weight: 5, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }) },
    ),
  )
  .map(([ms, n, naming, depth]) => {
    const doc = mutate(ms);
    if (naming === 'new-name') doc.contract = `fuzz.c${n}`;
    if (naming === 'next-minor') doc.version = `1.${n + 2}.0`;
    const schema = doc.schema as { properties?: Record<string, unknown> } | undefined;
    // Nesting up to 300 levels (the test's own copying overflows near 1,500): past 128 the contract is refused.
    if (depth > 0 && schema?.properties && typeof schema.properties === 'object') {
      let deep: unknown = { type: 'string' };
      for (let i = 0; i < depth; i++) deep = { type: 'object', properties: { a: deep } };
      schema.properties.deep = deep;
    }
    return doc as Record<string, unknown>;
  });

/** The value where a contract holds free text no answer repeats: description, owner, purposes. */
function inFreeText(doc: Record<string, unknown>, raw: string, where: number): Record<string, unknown> {
  const copy = { ...doc };
  if (where === 0) copy.description = `Contact ${raw} for access.`;
  else if (where === 1) copy.owner = raw;
  else copy.purposes = [raw];
  return copy;
}

/** JSON, or YAML for the YAML types; JSON text (which YAML reads too) where a deep schema is past what the YAML writer nests. */
function serialize(doc: unknown, type: string): string {
  if (type === 'application/json') return JSON.stringify(doc);
  try {
    return stringifyYaml(doc);
  } catch {
    return JSON.stringify(doc);
  }
}

const postContractsArb: fc.Arbitrary<Fuzzed> = piiValueArb.chain((pii) =>
  fc
    .tuple(
      fc.oneof(
        // In free text: never quoted.
        fc
          .tuple(contractDocArb, fc.nat({ max: 2 }))
          .map(([doc, where]) => ({ doc: inFreeText(doc, pii, where) as unknown, echo: false })),
        // Anywhere, keys and schema keywords included: errors show keys as salted hashes, never values.
        fc
          .tuple(contractDocArb, insertionsArb)
          .map(([doc, ins]) => ({ doc: insertPii(doc, pii, ins), echo: false })),
        fc
          .jsonValue({ maxDepth: 3 })
          .map((doc) => ({ doc: insertPii(doc, pii, [{ placement: 'key', at: 0 }]), echo: false })),
      ),
      fc.constantFrom('application/json', 'application/yaml', 'text/yaml'),
      // Bodies that are not a contract (bytes, the value deep in nesting): their errors name a position only.
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.oneof(bytesArb(pii), nestedArb(pii)) },
      ),
      fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: contentTypeArb(pii) }),
    )
    .map(([{ doc, echo }, type, raw, otherType]) => ({
      request: {
        method: 'POST',
        url: '/v1/contracts',
        headers: { 'content-type': otherType ?? type },
        payload: raw ?? serialize(doc, type),
      },
      pii,
      answerIsPiiFree: false,
      errorMayEcho: raw === null && echo,
    })),
);

const postExperimentsArb: fc.Arbitrary<Fuzzed> = piiValueArb.chain((pii) =>
  fc
    .tuple(
      fc.oneof(
        // Valid, under an id of its own, the value in its description: added (201), up to the 100 earshot runs.
        {
          weight: 2,
          arbitrary: fc
            .nat({ max: 1_000_000 })
            .map((n) => ({ ...EXPERIMENT, id: `fuzz-${n}`, description: `Ask ${pii} about it.` })),
        },
        { weight: 3, arbitrary: insertionsArb.map((ins) => insertPii(EXPERIMENT, pii, ins)) },
        {
          weight: 1,
          arbitrary: fc
            .jsonValue({ maxDepth: 3 })
            .map((doc) => insertPii(doc, pii, [{ placement: 'key', at: 0 }])),
        },
      ),
      fc.constantFrom('application/json', 'application/yaml'),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: bodyArb(pii, fc.constant(EXPERIMENT)) },
      ),
    )
    .map(([doc, type, raw]) => ({
      request: {
        method: 'POST',
        url: '/v1/experiments',
        headers: { 'content-type': type },
        payload: raw ?? serialize(doc, type),
      },
      pii,
      answerIsPiiFree: false,
    })),
);

const FINDINGS_PARAMS = ['detector', 'kind', 'contract', 'severity', 'since', 'until', 'limit', 'cursor'];
const REPORT_PARAMS = ['from', 'to', 'format', 'evidence_limit'];

/** Query values: plausible ones, random text, the value itself. */
const queryValueArb = (raw: string) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'schema',
        'pii_leak',
        'error',
        '2026-03-01T10:00:00Z',
        '2026-02-30T10:00:00Z',
        '10',
        '0',
        '-1',
        '1e3',
        'csv',
        'html',
        'json',
        '',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constant(raw) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => `${s}${raw}`) },
  );

/** A query string of known and unknown names, the value among names and values; sometimes raw (not percent-encoded). */
const queryArb = (raw: string, names: string[]) =>
  fc
    .tuple(
      fc.array(
        fc.tuple(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...names) },
            { weight: 1, arbitrary: fc.constant(raw) },
            { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
          ),
          queryValueArb(raw),
        ),
        {
          maxLength: 5,
        },
      ),
      fc.boolean(),
    )
    .map(([pairs, encode]) =>
      pairs
        .map(([k, v]) => (encode ? `${encodeURIComponent(k)}=${encodeURIComponent(v)}` : `${k}=${v}`))
        .join('&'),
    );

const getArb: fc.Arbitrary<Fuzzed> = piiValueArb.chain((pii) =>
  fc
    .oneof(
      queryArb(pii, FINDINGS_PARAMS).map((q) => `/v1/findings?${q}`),
      queryArb(pii, REPORT_PARAMS).map((q) => `/v1/reports/consent?${q}`),
      // A valid report request, sometimes with one more parameter holding the value.
      fc
        .tuple(
          fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
          fc.integer({ min: 1, max: 400 * 86_400_000 }),
          fc.constantFrom('json', 'csv', 'html'),
          fc.nat({ max: 100_000 }),
          fc.option(queryArb(pii, REPORT_PARAMS), { nil: undefined }),
        )
        .map(([from, span, format, limit, extra]) => {
          const to = new Date(from.getTime() + span).toISOString();
          const q = `from=${from.toISOString()}&to=${to}&format=${format}&evidence_limit=${limit}`;
          return `/v1/reports/consent?${q}${extra ? `&${extra}` : ''}`;
        }),
      fc
        .tuple(fc.oneof(fc.constant(pii), fc.string({ maxLength: 300 })), queryArb(pii, ['x']), fc.boolean())
        .map(([id, q, encode]) => `/v1/consent/${encode ? encodeURIComponent(id) : id}?${q}`),
      fc
        .tuple(
          fc.oneof(fc.constant(pii), fc.string({ maxLength: 80 }), fc.constant('proactive-chat')),
          queryArb(pii, ['x']),
          fc.boolean(),
        )
        .map(([id, q, encode]) => `/v1/experiments/${encode ? encodeURIComponent(id) : id}?${q}`),
      fc.constantFrom(`/v1/findings?%zz${pii}`, `/v1/consent/%E0%A4%A${pii}`, `/v1/experiments/${pii}%`),
    )
    .map((url) => ({ request: { method: 'GET', url } as InjectOptions, pii, answerIsPiiFree: false })),
);

/** Every warning past the logger is checked: the YAML library and ajv are told not to print any. */
function quotesNoBody(_warning: string): boolean {
  return true;
}

function sink(lines: string[]): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
}

describe('the HTTP API on arbitrary requests', () => {
  let app: App;
  let server: FastifyInstance;
  const logs: string[] = [];
  /** Warnings libraries write past the logger (console, process warnings). */
  const side: string[] = [];
  const sent: string[] = [];

  beforeAll(async () => {
    const capture = (...args: unknown[]) => {
      side.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
    };
    vi.spyOn(console, 'warn').mockImplementation(capture);
    vi.spyOn(console, 'error').mockImplementation(capture);
    vi.spyOn(console, 'log').mockImplementation(capture);
    vi.spyOn(process, 'emitWarning').mockImplementation(capture as typeof process.emitWarning);
    const config = buildConfig({
      store: { dataDir: 'memory://', flushIntervalMs: 50 },
      log: { level: 'debug' },
      privacy: { hashSalt: 'fuzz-salt' },
      detectors: { consent: { enabled: false } },
    });
    app = await createApp(config, { logger: createLogger('debug', sink(logs)), processMetrics: false });
    server = await buildServer(app);
    await server.ready();
  });

  afterAll(async () => {
    await server?.close();
    await app?.stop();
    vi.restoreAllMocks();
  });

  /** Sends one request and checks the answer, the log lines it caused and the warnings. */
  async function check({ request, pii, answerIsPiiFree, errorMayEcho }: Fuzzed): Promise<void> {
    sent.push(pii);
    const logsBefore = logs.length;
    const sideBefore = side.length;
    const res = await server.inject(request);
    expect(res.statusCode, res.body).toBeLessThan(500);
    if (res.statusCode >= 400) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json() as { error: unknown; message: unknown; details?: unknown };
      expect(typeof body.error).toBe('string');
      expect(typeof body.message).toBe('string');
      if (body.details !== undefined) {
        expect(Array.isArray(body.details)).toBe(true);
        for (const d of body.details as Array<{ pointer: unknown; reason: unknown }>) {
          expect(typeof d.pointer).toBe('string');
          expect(typeof d.reason).toBe('string');
        }
      }
      if (!errorMayEcho) expect(containsRaw(res.body, pii), res.body).toBe(false);
    } else if (answerIsPiiFree) {
      expect(containsRaw(res.body, pii), res.body).toBe(false);
    }
    const newLogs = logs.slice(logsBefore).join('');
    expect(containsRaw(newLogs, pii), newLogs).toBe(false);
    const newSide = side.slice(sideBefore).filter(quotesNoBody).join('\n');
    expect(containsRaw(newSide, pii), newSide).toBe(false);
  }

  const run = (arb: fc.Arbitrary<Fuzzed>, numRuns: number) =>
    fc.assert(
      fc.asyncProperty(arb, (f) => check(f)),
      { seed: SEED, numRuns },
    );

  it('POST /v1/events (every mode, JSON and NDJSON, bytes, nesting, wrong types)', async () => {
    await run(postEventsArb, 250);
  });

  it('POST /v1/redact', async () => {
    await run(postRedactArb, 200);
  });

  it('POST /v1/contracts (mutated contracts as JSON and YAML)', async () => {
    await run(postContractsArb, 200);
  });

  it('POST /v1/experiments (JSON and YAML)', async () => {
    await run(postExperimentsArb, 150);
  });

  it('GET /v1/findings, /v1/consent/:user_id, /v1/reports/consent, /v1/experiments/:id with arbitrary query strings', async () => {
    await run(getArb, 300);
  });

  it('stays up, and no value sent reached the logs once the findings are written', async () => {
    await app.flusher.flush();
    const health = await server.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const findings = await server.inject({ method: 'GET', url: '/v1/findings?limit=1000' });
    expect(findings.statusCode).toBe(200);
    expect(logs.length).toBeGreaterThan(0);
    const all = logs.join('') + side.filter(quotesNoBody).join('\n');
    expect(sent.filter((raw) => containsRaw(all, raw))).toEqual([]);
    expect(sent.filter((raw) => containsRaw(findings.body, raw))).toEqual([]);
  });
});
