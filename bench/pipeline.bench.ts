/**
 * `npm run bench`: events/s of the in-process pipeline on generator traffic
 * with the shipped contracts, against a baseline of JSON.parse plus the
 * compiled ajv validator alone on the same events; then events/s and p99
 * latency over HTTP (loopback) with 100-event batches. Every figure printed
 * is measured in this run.
 */
import { performance } from 'node:perf_hooks';
import { buildDetectors } from '../detectors/build-detectors.js';
import { createApp } from '../monitor/app.js';
import { buildConfig } from '../monitor/config/config.js';
import { TrafficGenerator } from '../monitor/generator/generator.js';
import { buildServer } from '../monitor/http/server.js';
import { Metrics } from '../monitor/metrics/metrics.js';
import { parseLine } from '../monitor/pipeline/parse-body.js';
import { Pipeline } from '../monitor/pipeline/pipeline.js';
import { loadRegistry } from '../monitor/registry/load-registry.js';
import { FindingWriter } from '../monitor/store/finding-writer.js';
import { openStore } from '../monitor/store/open-store.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const HTTP_CONCURRENCY = Number(process.env.BENCH_HTTP_CONCURRENCY ?? 8);
const BATCH = 100;
// A realistic share of bad traffic: 1% each of a few fault kinds.
const FAULTS = { missing_required: 0.01, type_mismatch: 0.01, enum_violation: 0.01, unknown_attribute: 0.01 };

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
function measureInTurns(entries: ReadonlyArray<readonly [label: string, fn: () => void]>): number[] {
  for (const [, fn] of entries) fn(); // warm-up: JIT and caches
  const rates = entries.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    entries.forEach(([, fn], i) => {
      const t0 = performance.now();
      fn();
      rates[i]!.push(EVENTS / ((performance.now() - t0) / 1000));
    });
  }
  return entries.map(([label], i) => {
    const rate = median(rates[i]!);
    console.log(`${label.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} events/s`);
    return rate;
  });
}

async function main(): Promise<void> {
  const config = buildConfig({ log: { level: 'silent' }, store: { dataDir: 'memory://' } });
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
  const store = await openStore({ dataDir: 'memory://' });
  const writer = new FindingWriter(store, { flushIntervalMs: 1000 });
  const pipelineRun = (piiEnabled: boolean): (() => void) => {
    const detectors = buildDetectors({
      detectors: { ...config.detectors, pii: { ...config.detectors.pii, enabled: piiEnabled } },
    });
    const pipeline = new Pipeline({
      registry,
      detectors: detectors.all,
      piiAnalyzer: detectors.analyzer,
      metrics: new Metrics({ version: 'bench', collectProcess: false }),
      sinks: [writer],
    });
    return () => {
      for (let i = 0; i < lines.length; i += BATCH) {
        pipeline.processBatch(
          lines.slice(i, i + BATCH).map((l) => parseLine(l)),
          { source: 'file' },
        );
      }
      pipeline.evaluate();
    };
  };
  const [baseline, withoutPii, pipelineRate] = measureInTurns([
    ['baseline: JSON.parse + ajv validate', baselineRun],
    ['pipeline: all detectors but PII + metrics', pipelineRun(false)],
    ['pipeline: all detectors incl. PII + metrics', pipelineRun(true)],
  ]) as [number, number, number];
  await writer.stop();
  await store.close();
  const ratio = (label: string, rate: number, target: number) =>
    console.log(
      `${label.padEnd(44)} ${(rate / baseline).toFixed(2).padStart(12)}   (target >= ${target}: ${rate / baseline >= target ? 'met' : 'NOT met'})`,
    );
  ratio('ratio pipeline without PII / baseline', withoutPii, 0.5);
  ratio('ratio pipeline with PII / baseline', pipelineRate, 0.35);

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
