import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { packageRoot } from '../monitor/config/package-root.js';
import { TrafficGenerator } from '../monitor/generator/generator.js';
import { createTestApp } from '../monitor/http/test-app.js';
import { openStore } from '../monitor/store/open-store.js';

/**
 * Scale-out on NATS JetStream, as it runs in production: two earshot
 * processes share one durable consumer, events with injected faults are
 * published while they run, one process is killed (SIGKILL) mid-stream, and
 * the other takes over its unacknowledged messages. Every event's findings
 * must be counted exactly once: the same totals as one process fed the same
 * events over HTTP.
 */

const url = process.env.DATABASE_URL;
const NATS_PORT = 4222;
const MAIN = join(packageRoot(), 'dist', 'monitor', 'cli', 'main.js');
const EVENTS = 3000;
/**
 * The detectors that judge each event on its own. The windowed ones
 * (schema_drift, completeness, drift) report from state a replica holds in
 * memory between snapshots, and a replica killed loses that state by design.
 */
const PER_EVENT_DETECTORS = ['schema', 'pii'];

const natsUp = await new Promise<boolean>((resolve) => {
  const s = net.connect(NATS_PORT, '127.0.0.1');
  s.once('connect', () => {
    s.destroy();
    resolve(true);
  });
  s.once('error', () => resolve(false));
});

async function tally(client: pg.Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{ k: string; n: string }>(
    `SELECT detector || ' ' || kind || ' ' || coalesce(attribute, '') AS k, sum(count)::text AS n
     FROM findings WHERE detector = ANY($1) GROUP BY 1 ORDER BY 1`,
    [PER_EVENT_DETECTORS],
  );
  return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
}

function earshot(
  env: NodeJS.ProcessEnv,
): ChildProcess & { exited: Promise<number | null>; output: () => string } {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('EARSHOT_') && k !== 'DATABASE_URL') clean[k] = v;
  const child = spawn(process.execPath, [MAIN, 'serve'], { env: { ...clean, ...env } });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return Object.assign(child, { exited, output: () => out });
}

async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!url || !natsUp)('scale-out on NATS JetStream: two processes, one killed', () => {
  const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const stream = `EARSHOT_TEST_${tag}`;
  const subject = `earshot_test_${tag}.events`;
  const database = `earshot_nats_${tag}`;
  const controlSchema = `earshot_test_nats_control_${tag}`;
  let dir: string;
  let admin: pg.Client;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-nats-'));
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    const nc = await connect({ servers: `nats://127.0.0.1:${NATS_PORT}` });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
    await nc.close();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`DROP SCHEMA IF EXISTS "${controlSchema}" CASCADE`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts every event once although a replica dies with messages in flight', async () => {
    const generator = new TrafficGenerator({
      seed: 11,
      start: new Date('2026-01-01T00:00:00Z'),
      eventsPerSecond: 20,
      faults: {
        malformed_json: 0.02,
        missing_required: 0.05,
        type_mismatch: 0.03,
        unknown_attribute: 0.05,
        pii_in_text: 0.05,
        unknown_contract: 0.02,
      },
    });
    const lines = generator.batch(EVENTS).map((g) => g.raw);
    const config = {
      log: { level: 'info' },
      privacy: { hashSalt: 'scale-out-salt' },
      // Consent is judged against a ledger each replica caches: partitioning by user keeps it exact (see README).
      detectors: { consent: { enabled: false } },
    };

    // The reference: one process, the same events over HTTP.
    const control = await createTestApp({
      store: await openStore({ url: url!, schema: controlSchema }),
      config,
    });
    for (let i = 0; i < lines.length; i += 500) {
      const res = await control.server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: lines.slice(i, i + 500).join('\n'),
      });
      expect(res.statusCode).toBe(200);
    }
    await control.close();
    await admin.query(`SET search_path TO "${controlSchema}"`);
    const want = await tally(admin);
    await admin.query('SET search_path TO public');
    expect(Object.keys(want).length).toBeGreaterThan(5);

    // The stream, and two replicas on one consumer.
    const nc = await connect({ servers: `nats://127.0.0.1:${NATS_PORT}` });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [subject] });
    const js = jetstream(nc);
    const dbUrl = new URL(url!);
    dbUrl.pathname = `/${database}`;
    const replica = async (name: string, batch: number) => {
      const file = join(dir, `${name}.yaml`);
      await writeFile(
        file,
        stringify({
          ...config,
          evaluateIntervalSeconds: 3600,
          store: { flushIntervalMs: 200 },
          sources: {
            nats: { enabled: true, stream, subject, consumer: 'earshot', batch, ackWaitSeconds: 2 },
          },
        }),
      );
      const child = earshot({
        EARSHOT_CONFIG: file,
        DATABASE_URL: dbUrl.toString(),
        EARSHOT_PORT: '0',
        EARSHOT_DATA_DIR: join(dir, name),
      });
      children.push(child);
      return child;
    };
    // The one to be killed pulls large batches: its fetch holds messages while the batch fills,
    // so the kill finds some delivered to it and not acknowledged.
    const a = await replica('a', 1000);
    const b = await replica('b', 100);
    await until(
      'both replicas to take events',
      () => /taking events from NATS/.test(a.output()) && /taking events from NATS/.test(b.output()),
      30_000,
    );

    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i += 100) {
        await Promise.all(lines.slice(i, Math.min(i + 100, to)).map((l) => js.publish(subject, l)));
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const consumer = () => jsm.consumers.info(stream, 'earshot');
    const publishing = publish(0, EVENTS);
    // Killed mid-stream, wherever it is in a batch.
    await until(
      'a third to be under way',
      async () => (await consumer()).delivered.stream_seq >= EVENTS / 3,
      30_000,
    );
    a.kill('SIGKILL');
    await a.exited;
    await publishing;
    await until(
      'every message to be acknowledged',
      async () => {
        const info = await consumer();
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      90_000,
    );
    const port = b.output().match(/earshot listening on http:\/\/localhost:(\d+)/)![1];
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const redelivered = Number(
      metrics.match(/earshot_nats_messages_total\{outcome="redelivered"\} (\d+)/)?.[1],
    );
    // The killed replica's unacknowledged messages came again, to the survivor.
    expect(redelivered).toBeGreaterThan(0);
    b.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    await nc.close();

    const client = new pg.Client({ connectionString: dbUrl.toString() });
    await client.connect();
    try {
      const got = await tally(client);
      expect(got).toEqual(want);
      const processed = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM processed_events');
      expect(Number(processed.rows[0]!.n)).toBeGreaterThan(EVENTS * 0.95);
    } finally {
      await client.end();
    }
  }, 180_000);
});
