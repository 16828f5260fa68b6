import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../monitor/http/test-app.js';
import { consentUpdated as consent, message } from '../monitor/http/test-events.js';
import { openStore } from '../monitor/store/open-store.js';
import { TcpProxy } from './tcp-proxy.js';

/**
 * The store goes away mid-stream, as a PostgreSQL restart or a network cut
 * does: earshot keeps accepting events, spools what it cannot write, is shut
 * down while the database is still away, and a new process replays the spool
 * once it is back. Every finding, consent record, consent check and audit row
 * must then be in the store exactly once: the same as a run that never lost
 * its database.
 */

const url = process.env.DATABASE_URL;
const USERS = Array.from({ length: 12 }, (_, i) => `user-${i}`);
const PURPOSES = ['analytics', 'model_training', 'recording'];

/** Round r's batch: messages (some breaking the contract), and consent changes that make later messages violations. */
function round(r: number): Record<string, unknown>[] {
  const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, r * 10 + minute)).toISOString();
  const events: Record<string, unknown>[] = [];
  USERS.forEach((user, u) => {
    if (r === 0) {
      events.push(consent(user, at(0), PURPOSES.slice(0, 1 + (u % 3)), PURPOSES.slice(1 + (u % 3))));
      return;
    }
    const m = message({ user_id: user, conversation_id: `c-${u}`, turn: r, occurred_at: at(1 + (u % 5)) });
    if ((u + r) % 4 === 0) delete m.language;
    if ((u + r) % 7 === 0) m[`extra_${u % 3}`] = 'x';
    if ((u + r) % 5 === 0) m.text = `call me on +44 7700 900${100 + u}`;
    events.push(m);
    if ((u + r) % 3 === 0) {
      const flip = PURPOSES[(u + r) % 3]!;
      events.push(r % 2 === 0 ? consent(user, at(6), [flip], []) : consent(user, at(6), [], [flip]));
    }
  });
  return events;
}

interface Tally {
  findings: Record<string, number>;
  records: number;
  checks: Record<string, number>;
  auditRecords: number;
  auditViolations: number;
  auditOk: boolean;
}

async function tally(schema: string): Promise<Tally> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    const findings = await client.query<{ k: string; n: string }>(
      `SELECT detector || ' ' || kind || ' ' || coalesce(attribute, '') AS k, sum(count)::text AS n
       FROM findings GROUP BY 1 ORDER BY 1`,
    );
    const records = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM consent_records');
    const checks = await client.query<{ outcome: string; n: string }>(
      'SELECT outcome, count(*)::text AS n FROM consent_checks GROUP BY outcome',
    );
    const audit = await client.query<{ kind: string; n: string }>(
      `SELECT kind, sum(json_array_length(coalesce((content::json)->'records', (content::json)->'violations', '[]'::json)))::text AS n
       FROM audit_log GROUP BY kind`,
    );
    const byKind = Object.fromEntries(audit.rows.map((r) => [r.kind, Number(r.n)]));
    const store = await openStore({ url: url!, schema });
    const verdict = await store.audit.verify();
    await store.close();
    return {
      findings: Object.fromEntries(findings.rows.map((r) => [r.k, Number(r.n)])),
      records: Number(records.rows[0]!.n),
      checks: Object.fromEntries(checks.rows.map((r) => [r.outcome, Number(r.n)])),
      auditRecords: byKind.consent_record ?? 0,
      auditViolations: byKind.consent_finding ?? 0,
      auditOk: verdict.ok,
    };
  } finally {
    await client.end();
  }
}

describe.skipIf(!url)('the store goes away mid-stream (PostgreSQL)', () => {
  const schemas: string[] = [];
  let proxy: TcpProxy;
  let spoolDir: string;
  const rounds = Array.from({ length: 9 }, (_, r) => round(r));

  const app = async (schema: string, via: string, spool: string | null): Promise<TestApp> => {
    const store = await openStore({ url: via, schema });
    return createTestApp({
      store,
      config: {
        detectors: { consent: { enabled: true } },
        store: spool ? { spool: { dir: spool } } : {},
      },
    });
  };
  const post = async (t: TestApp, events: Record<string, unknown>[]) => {
    const res = await t.server.inject({ method: 'POST', url: '/v1/events', payload: events });
    expect(res.statusCode, res.body).toBe(200);
    await t.app.flusher.flush();
  };

  beforeAll(async () => {
    proxy = await TcpProxy.start(Number(new URL(url!).port || 5432));
    spoolDir = await mkdtemp(join(tmpdir(), 'earshot-outage-'));
  });
  afterAll(async () => {
    await proxy.up();
    await proxy.down();
    await rm(spoolDir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await client.end();
  });

  it('stores every finding, consent record, check and audit row exactly once, as a run without the outage', async () => {
    const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const control = `earshot_test_outage_control_${suffix}`;
    const outage = `earshot_test_outage_${suffix}`;
    schemas.push(control, outage);
    const proxied = new URL(url!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);

    // The control run: the same events, the same restart, a database that never goes away.
    let t = await app(control, url!, null);
    for (const events of rounds.slice(0, 6)) await post(t, events);
    await t.close();
    t = await app(control, url!, null);
    for (const events of rounds.slice(6)) await post(t, events);
    await t.close();

    // The outage run.
    t = await app(outage, proxied.toString(), spoolDir);
    for (const events of rounds.slice(0, 3)) await post(t, events);
    expect(t.app.durable.counts().spooled).toBe(0);
    await proxy.down();
    for (const events of rounds.slice(3, 6)) await post(t, events);
    expect(t.app.durable.counts().spooled).toBe(3);
    // A timeline or an erasure now would miss the spooled rows (and the replay would undo the erasure).
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await t.server.inject({ method, url: `/v1/consent/${USERS[0]}` });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(res.json()).toMatchObject({ error: 'store_backlog' });
    }
    expect(t.app.durable.spool!.stats().units).toBe(3);
    // Shut down while the database is away: what is held goes to the spool, none of it is lost.
    await t.close();

    await proxy.up();
    t = await app(outage, proxied.toString(), spoolDir);
    // The three batches, and the findings of the evaluation the shutdown runs.
    expect(t.app.durable.spool!.stats().units).toBe(4);
    t.app.durable.start();
    expect(await t.app.durable.drained(20_000)).toBe(true);
    for (const events of rounds.slice(6)) await post(t, events);
    await t.close();

    const [want, got] = await Promise.all([tally(control), tally(outage)]);
    expect(want.records).toBeGreaterThan(20);
    expect(want.checks.valid).toBeGreaterThan(20);
    expect(Object.keys(want.checks).length).toBeGreaterThan(1);
    expect(Object.keys(want.findings).length).toBeGreaterThan(3);
    expect(want.auditOk).toBe(true);
    expect(got).toEqual(want);
    expect(got.auditRecords).toBe(got.records);
  }, 120_000);

  it('answers 503 with Retry-After once the spool nears its limit, and takes events again when it drains', async () => {
    const schema = `earshot_test_outage_full_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    schemas.push(schema);
    const dir = await mkdtemp(join(tmpdir(), 'earshot-outage-full-'));
    const proxied = new URL(url!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const store = await openStore({ url: proxied.toString(), schema });
    const t = await createTestApp({ store, config: { store: { spool: { dir, maxBytes: 65_536 } } } });
    try {
      await proxy.down();
      let refused: Awaited<ReturnType<typeof t.server.inject>> | undefined;
      for (let i = 0; i < 400 && !refused; i++) {
        const batch = Array.from({ length: 20 }, (_, j) =>
          message({
            occurred_at: new Date(Date.UTC(2025, 2, 1, 10, i)).toISOString(),
            [`extra_${i}_${j}`]: j,
          }),
        );
        const res = await t.server.inject({ method: 'POST', url: '/v1/events', payload: batch });
        if (res.statusCode === 503) refused = res;
        else expect(res.statusCode).toBe(200);
        await t.app.flusher.flush().catch(() => undefined);
      }
      expect(refused, 'the spool never filled').toBeDefined();
      expect(refused!.json()).toMatchObject({ error: 'store_backlog' });
      expect(refused!.headers['retry-after']).toBe('10');
      await proxy.up();
      t.app.durable.start();
      expect(await t.app.durable.drained(20_000)).toBe(true);
      const again = await t.server.inject({ method: 'POST', url: '/v1/events', payload: [message()] });
      expect(again.statusCode).toBe(200);
    } finally {
      await proxy.up();
      await t.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
