/**
 * `npm run bench:load`: earshot under HTTP load at rising concurrency.
 * The service runs in this process (loopback, an ephemeral port, an embedded
 * store in a temporary folder, every detector on, the default load-shedding
 * settings); autocannon posts 100-event NDJSON batches of generated traffic
 * to /v1/events from a child process, step by step with more connections.
 * Each step reports accepted batches and events per second, latency of the
 * accepted batches, the share of requests shed (503) and the most RSS this
 * process held during the step; then the first step at which shedding began.
 * `--quick` runs two short steps, a smoke run. Every figure is measured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startServer } from '../../monitor/cli/start-server.js';
import { buildConfig } from '../../monitor/config/config.js';
import { TrafficGenerator } from '../../monitor/generator/generator.js';
import { NDJSON } from '../../monitor/http/events-route.js';
import { type LoadResult, runLoad } from './load-run.js';

const QUICK = process.argv.includes('--quick');
const STEPS = QUICK ? [1, 8] : [1, 2, 4, 8, 16, 32, 64];
const STEP_SECONDS = QUICK ? 3 : 8;
const PAUSE_SECONDS = 2;
/** An unreported run first, so the JIT and the store are warm for the first step. */
const WARMUP_SECONDS = QUICK ? 1 : 2;
const BATCH = 100;
/** Distinct batches each connection sends in turn (20,000 events). */
const BATCHES = 200;
const SEED = 42;
// A realistic share of bad traffic, as in the pipeline bench: 1% each of a few fault kinds.
const FAULTS = { missing_required: 0.01, type_mismatch: 0.01, enum_violation: 0.01, unknown_attribute: 0.01 };
const MB = 1024 * 1024;

/** Runs `fn` while sampling this process's RSS every 100 ms; the result and the most RSS seen. */
async function withRssMax<T>(fn: () => Promise<T>): Promise<{ value: T; rssMax: number }> {
  let rssMax = process.memoryUsage().rss;
  const timer = setInterval(() => {
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }, 100);
  try {
    const value = await fn();
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
    return { value, rssMax };
  } finally {
    clearInterval(timer);
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printTable(rows: Array<{ r: LoadResult; rssMax: number }>): void {
  const header = ['connections', 'batches/s', 'events/s', 'p50 ms', 'p99 ms', 'shed share', 'RSS max MB'];
  const lines = rows.map(({ r, rssMax }) => [
    String(r.connections),
    fmt(r.ok / r.durationSeconds, 1),
    fmt(r.eventsPerSecond),
    fmt(r.latencyP50Ms, 1),
    fmt(r.latencyP99Ms, 1),
    `${((r.requests > 0 ? r.shed / r.requests : 0) * 100).toFixed(1)}%`,
    fmt(rssMax / MB),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(row(header));
  for (const l of lines) console.log(row(l));
}

/**
 * A schema of its own on PostgreSQL, dropped afterwards: rows left by earlier
 * runs (millions of consent checks) would slow every index write and make
 * the figures depend on how often the bench ran before.
 */
async function freshSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `earshot_bench_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return { url: scoped.toString(), drop: () => admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'earshot-load-'));
  const database = process.env.DATABASE_URL ? await freshSchema(process.env.DATABASE_URL) : null;
  const config = buildConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      store: { dataDir },
      log: { level: 'warn' },
      privacy: { hashSalt: 'bench-load' },
      // Every detector: schema, schema drift, completeness and the contract monitors always run; PII and
      // consent (the default policy) are on by default and named here so the bench does not depend on it.
      detectors: { pii: { enabled: true }, consent: { enabled: true } },
      // PostgreSQL when DATABASE_URL is set, as in production: the embedded store runs on the event loop,
      // so its writes (a consent check row per event and purpose) delay requests and trigger shedding.
    },
    { DATABASE_URL: database?.url },
  );
  const generator = new TrafficGenerator({ seed: SEED, faults: FAULTS });
  const bodies: string[] = [];
  for (let i = 0; i < BATCHES; i++) {
    bodies.push(
      generator
        .batch(BATCH)
        .map((e) => e.raw)
        .join('\n'),
    );
  }

  const running = await startServer(config);
  const url = `${running.url}/v1/events`;
  const shedding = config.server.shedding;
  console.log(
    `earshot load bench${QUICK ? ' (quick)' : ''}: POST ${url}, ${BATCHES} NDJSON batches of ${BATCH} generated events ` +
      `(seed ${SEED}), every detector on, store ${config.store.url ? 'PostgreSQL (DATABASE_URL)' : `embedded in ${dataDir}`}, node ${process.version}`,
  );
  console.log(
    `shedding: event-loop delay over ${shedding.maxEventLoopDelayMs} ms` +
      `${shedding.maxEventLoopUtilization > 0 ? `, utilization over ${shedding.maxEventLoopUtilization}` : ''}` +
      ` (sampled every ${shedding.sampleIntervalMs} ms); steps of ${STEP_SECONDS} s, ${PAUSE_SECONDS} s apart, ` +
      `after a ${WARMUP_SECONDS} s warm-up; RSS of the server process before the steps: ${fmt(process.memoryUsage().rss / MB)} MB`,
  );

  const rows: Array<{ r: LoadResult; rssMax: number }> = [];
  try {
    await runLoad({
      url,
      body: bodies,
      contentType: NDJSON,
      connections: 2,
      durationSeconds: WARMUP_SECONDS,
    });
    for (const connections of STEPS) {
      await sleep(PAUSE_SECONDS * 1000);
      const { value, rssMax } = await withRssMax(() =>
        runLoad({ url, body: bodies, contentType: NDJSON, connections, durationSeconds: STEP_SECONDS }),
      );
      rows.push({ r: value, rssMax });
    }
  } finally {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  }

  console.log('');
  printTable(rows);
  console.log(
    'batches/s and events/s count accepted (2xx) batches; p50/p99 are their latencies; shed share is 503s / responses.',
  );
  for (const { r } of rows) {
    if (r.errors > 0 || r.timeouts > 0 || r.otherNon2xx > 0) {
      const others = Object.entries(r.statusCodes)
        .filter(([code]) => !code.startsWith('2') && code !== '503')
        .map(([code, n]) => `${n} x ${code}`);
      console.log(
        `${r.connections} connections: ${r.errors} errors (${r.timeouts} timeouts)` +
          `${others.length > 0 ? `, other responses: ${others.join(', ')}` : ''}`,
      );
    }
  }
  if (rows.every(({ r }) => r.errors === 0 && r.otherNon2xx === 0)) {
    console.log('no connection errors, timeouts or non-2xx responses other than 503.');
  }
  const first = rows.find(({ r }) => r.shed > 0);
  console.log(
    first
      ? `shedding started at ${first.r.connections} connections (${fmt(first.r.shed)} of ${fmt(first.r.requests)} requests answered 503).`
      : `shedding never started between ${STEPS[0]} and ${STEPS.at(-1)} connections.`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
