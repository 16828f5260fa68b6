/**
 * `npm run bench`: events/s of the in-process pipeline on generator traffic
 * with the shipped contracts, against a baseline of JSON.parse plus the
 * compiled ajv validator alone on the same events; what the consent check
 * adds per event against a ledger of BENCH_CONSENT_USERS users (default a
 * million), with users by conversation and, as the worst case, a different
 * user every event; then events/s and p99 latency over HTTP (loopback) with
 * 100-event batches. The consent figures are medians over rounds of the
 * pair measured side by side in each round. Every figure printed is
 * measured in this run.
 */
import { performance } from 'node:perf_hooks';
import { buildDetectors } from '../detectors/build-detectors.js';
import type { ConsentCheck } from '../detectors/consent/consent-detector.js';
import type { ConsentLedger } from '../detectors/consent/consent-ledger.js';
import { createApp } from '../monitor/app.js';
import { buildConfig } from '../monitor/config/config.js';
import { TrafficGenerator } from '../monitor/generator/generator.js';
import { buildServer } from '../monitor/http/server.js';
import { Metrics } from '../monitor/metrics/metrics.js';
import { parseLine } from '../monitor/pipeline/parse-body.js';
import { Pipeline } from '../monitor/pipeline/pipeline.js';
import { loadRegistry } from '../monitor/registry/load-registry.js';
import { FindingWriter } from '../monitor/store/finding-writer.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const HTTP_CONCURRENCY = Number(process.env.BENCH_HTTP_CONCURRENCY ?? 8);
const BATCH = 100;
// A realistic share of bad traffic: 1% each of a few fault kinds.
const FAULTS = { missing_required: 0.01, type_mismatch: 0.01, enum_violation: 0.01, unknown_attribute: 0.01 };

const CONSENT_USERS = Number(process.env.BENCH_CONSENT_USERS ?? 1_000_000);
const CONSENT_PURPOSES = ['analytics', 'model_training', 'recording'];

/** A ledger holding `users` users, each granted the purposes the shipped contracts check a month before the traffic. */
function warmLedger(ledger: ConsentLedger, users: number): void {
  // The generator dates its traffic from now.
  const ms = Date.now() - 30 * 86_400_000;
  const at = new Date(ms).toISOString();
  for (let u = 0; u < users; u++) {
    for (const purpose of CONSENT_PURPOSES) {
      ledger.record({
        record_id: `bench-${u}:${purpose}`,
        user_id: `user-${u}`,
        purpose,
        status: 'granted',
        occurred_at: at,
        occurred_ms: ms,
        consent_version: 'v3',
        source: 'banner',
        lawful_basis: null,
        region: 'DE',
        gpc: false,
        consent_mode: null,
        expires_at: null,
      });
    }
  }
}

/**
 * The lines with their user ids spread over `users` users. By conversation
 * (the default): each conversation gets its own user, so a conversation's
 * events share one user as they do in real traffic, and successive
 * conversations land all over the ledger. By event: every event a different
 * user, the worst case, with no reuse at all.
 */
function spreadUsers(lines: readonly string[], users: number, by: 'conversation' | 'event'): string[] {
  const conversations = new Map<unknown, number>();
  return lines.map((line, i) => {
    try {
      const e = JSON.parse(line) as Record<string, unknown>;
      if (typeof e.user_id !== 'string') return line;
      let n = i;
      if (by === 'conversation') {
        n = conversations.get(e.conversation_id) ?? conversations.size;
        conversations.set(e.conversation_id, n);
      }
      e.user_id = `user-${(n * 7919) % users}`;
      return JSON.stringify(e);
    } catch {
      return line;
    }
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/**
 * Events/s of each function, the median of ROUNDS rounds. The functions take
 * turns within each round: measured one after another, a later one would
 * run on a hotter, fuller heap and a machine whose speed has drifted, and
 * the ratios between them would say more about the order than the code.
 */
async function measureInTurns(
  entries: ReadonlyArray<readonly [label: string, fn: () => void | Promise<void>]>,
): Promise<{ rates: number[]; perRound: number[][] }> {
  for (const [, fn] of entries) await fn(); // warm-up: JIT and caches
  const perRound = entries.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, [, fn]] of entries.entries()) {
      const t0 = performance.now();
      await fn();
      perRound[i]!.push(EVENTS / ((performance.now() - t0) / 1000));
    }
  }
  const rates = entries.map(([label], i) => {
    const rate = median(perRound[i]!);
    console.log(`${label.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} events/s`);
    return rate;
  });
  return { rates, perRound };
}

/**
 * What `fn` adds to the cost per event of `base` (cost is 1/rate), as the
 * median over rounds of the two measured side by side in each round: the
 * host's speed drifts between rounds, and a ratio of two medians taken from
 * different rounds carries that drift into a figure of a few per cent.
 */
function addedCost(base: readonly number[], withIt: readonly number[]): number {
  return median(base.map((b, r) => b / withIt[r]! - 1));
}

async function main(): Promise<void> {
  // The consent detector is measured apart (its own line), against a warm ledger; the other pipelines run without it.
  const config = buildConfig({
    log: { level: 'silent' },
    store: { dataDir: 'memory://' },
    detectors: { consent: { enabled: false } },
  });
  const generator = new TrafficGenerator({ seed: 42, faults: FAULTS });
  const lines = generator.batch(EVENTS).map((g) => g.raw);
  console.log(
    `earshot bench: ${EVENTS.toLocaleString('en-US')} generated events, ${ROUNDS} rounds taken in turns (median), node ${process.version}`,
  );

  // Baseline: JSON.parse and the compiled validator of the event's latest version, nothing else.
  const registry = await loadRegistry(config.contracts.dir);
  const validators = new Map(
    registry.names().map((n) => {
      const r = registry.resolve(n, null);
      return [n, r.ok ? r.resolved.validate : null] as const;
    }),
  );
  let sink = 0;
  const baselineRun = () => {
    for (const line of lines) {
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(line);
      } catch {
        continue;
      }
      const v = validators.get(e?.event_type as string);
      if (v?.(e)) sink++;
    }
  };

  // The pipeline as the service runs it: envelope, resolution, every detector, metrics, findings writer;
  // once with PII scanning of every string (message text included) and once without.
  const writer = new FindingWriter();
  // Each batch is prepared first, as the service does (the consent ledger loads the batch's users then).
  // The consent detector's check rows are held until the batch is done, as the writer's queue holds them
  // between flushes; storing them is the writer's background work (see the consent-import bench).
  const pipelineRun = (
    piiEnabled: boolean,
    input: readonly string[],
    consentUsers = 0,
  ): (() => Promise<void>) => {
    let held: ConsentCheck[] = [];
    const detectors = buildDetectors(
      {
        detectors: {
          ...config.detectors,
          pii: { ...config.detectors.pii, enabled: piiEnabled },
          consent: { ...config.detectors.consent, enabled: consentUsers > 0, cache_users: consentUsers * 2 },
        },
      },
      { consentSinks: { check: (c) => held.push(c) } },
    );
    if (consentUsers > 0) warmLedger(detectors.ledger, consentUsers);
    const pipeline = new Pipeline({
      registry,
      detectors: detectors.all,
      piiAnalyzer: detectors.analyzer,
      metrics: new Metrics({ version: 'bench', collectProcess: false }),
      sinks: [writer],
    });
    return async () => {
      for (let i = 0; i < input.length; i += BATCH) {
        const items = input.slice(i, i + BATCH).map((l) => parseLine(l));
        await pipeline.prepare(items);
        pipeline.processBatch(items, { source: 'file' });
        held = [];
      }
      pipeline.evaluate();
    };
  };
  // The consent check against a warm ledger of CONSENT_USERS users, each measured against the same
  // events without it: users by conversation (as traffic comes), and a different user for every event.
  const byConversation = spreadUsers(lines, CONSENT_USERS, 'conversation');
  const byEvent = spreadUsers(lines, CONSENT_USERS, 'event');
  const users = `${(CONSENT_USERS / 1e6).toFixed(1)}M users`;
  const { rates, perRound } = await measureInTurns([
    ['baseline: JSON.parse + ajv validate', baselineRun],
    ['pipeline: all detectors but PII + metrics', pipelineRun(false, lines)],
    ['pipeline: all detectors incl. PII + metrics', pipelineRun(true, lines)],
    ['pipeline: incl. PII, users by conversation', pipelineRun(true, byConversation)],
    [`pipeline: incl. PII + consent (${users})`, pipelineRun(true, byConversation, CONSENT_USERS)],
    ['pipeline: incl. PII, a user per event', pipelineRun(true, byEvent)],
    ['pipeline: + consent, a user per event', pipelineRun(true, byEvent, CONSENT_USERS)],
  ]);
  const [baseline, withoutPii, pipelineRate] = rates as [number, number, number];
  const ratio = (label: string, rate: number, target: number) =>
    console.log(
      `${label.padEnd(44)} ${(rate / baseline).toFixed(2).padStart(12)}   (target >= ${target}: ${rate / baseline >= target ? 'met' : 'NOT met'})`,
    );
  ratio('ratio pipeline without PII / baseline', withoutPii, 0.5);
  ratio('ratio pipeline with PII / baseline', pipelineRate, 0.35);
  // Cost per event is 1/rate: what the consent check adds to it.
  const added = addedCost(perRound[3]!, perRound[4]!);
  console.log(
    `${'consent check: added cost per event'.padEnd(44)} ${`${(added * 100).toFixed(1)}%`.padStart(12)}   (target <= 10%: ${added <= 0.1 ? 'met' : 'NOT met'})`,
  );
  const worst = addedCost(perRound[5]!, perRound[6]!);
  console.log(
    `${'  the same, a different user every event'.padEnd(44)} ${`${(worst * 100).toFixed(1)}%`.padStart(12)}`,
  );

  // Over HTTP on loopback: 100-event NDJSON batches, a fixed number of concurrent clients, bounded in time.
  const app = await createApp(config, { processMetrics: false });
  await app.start();
  const server = await buildServer(app);
  const base = await server.listen({ host: '127.0.0.1', port: 0 });
  const url = `${base}/v1/events`;
  const bodies: string[] = [];
  for (let i = 0; i + BATCH <= lines.length; i += BATCH) bodies.push(lines.slice(i, i + BATCH).join('\n'));
  const latencies: number[] = [];
  let sent = 0;
  let next = 0;
  const deadline = performance.now() + HTTP_SECONDS * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const body = bodies[next++ % bodies.length]!;
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      latencies.push(performance.now() - t0);
      sent += BATCH;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, client));
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${`http: ${BATCH}-event batches, ${HTTP_CONCURRENCY} clients`.padEnd(44)} ${Math.round(sent / seconds)
      .toLocaleString('en-US')
      .padStart(
        12,
      )} events/s   p50 ${percentile(latencies, 50).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms per batch`,
  );
  await server.close();
  await app.stop();
  if (sink < 0) console.log(sink);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
