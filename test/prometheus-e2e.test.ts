import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type App, createApp } from '../monitor/app.js';
import { demoExperiment } from '../monitor/cli/demo-experiment.js';
import { buildConfig } from '../monitor/config/config.js';
import { packageRoot } from '../monitor/config/package-root.js';
import { TrafficGenerator } from '../monitor/generator/generator.js';
import { buildServer } from '../monitor/http/server.js';
import { type PrometheusServer, startPrometheus } from './prometheus-server.js';

/**
 * The on-call pack against Debian's Prometheus: earshot serves real
 * traffic on loopback, Prometheus scrapes it every second and evaluates
 * alerts/*.rules.yml; the alerts for a PII leak and consent violations must
 * go pending or firing, every rule must evaluate cleanly, and every
 * dashboard expression must parse and answer.
 */

const ROOT = packageRoot();
const ALERTS = join(ROOT, 'alerts');
const DASHBOARDS = join(ROOT, 'grafana', 'dashboards');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}

async function ruleFiles(): Promise<string[]> {
  return (await readdir(ALERTS)).filter((f) => f.endsWith('.rules.yml')).map((f) => join(ALERTS, f));
}

async function rules(): Promise<Rule[]> {
  const out: Rule[] = [];
  for (const file of await ruleFiles()) {
    const doc = parseYaml(await readFile(file, 'utf8')) as { groups: Array<{ rules: Rule[] }> };
    for (const g of doc.groups) out.push(...g.rules);
  }
  return out;
}

/** A series selector of earshot's, a process or a recording rule's, with its label matchers (offsets left out). */
const SELECTOR = /\b(?:earshot[a-z0-9_:]*|nodejs_[a-z0-9_]+|process_[a-z0-9_]+|up)\b(?:\{[^}]*\})?/g;

/** Every target expression of every panel (rows included) of every dashboard, with where it is. */
async function panelExpressions(): Promise<Array<{ where: string; expr: string }>> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const file of (await readdir(DASHBOARDS)).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(await readFile(join(DASHBOARDS, file), 'utf8')) as {
      panels?: Array<{ title?: string; targets?: Array<{ expr?: string }>; panels?: unknown[] }>;
    };
    const visit = (panels: unknown[] | undefined) => {
      for (const p of (panels ?? []) as Array<{
        title?: string;
        targets?: Array<{ expr?: string }>;
        panels?: unknown[];
      }>) {
        for (const t of p.targets ?? []) if (t.expr) out.push({ where: `${file}: ${p.title}`, expr: t.expr });
        visit(p.panels);
      }
    };
    visit(dashboard.panels);
  }
  return out;
}

/** Grafana's variables as a query at this moment would see them: every value of a template variable. */
function substitute(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, '1m')
    .replace(/\$__interval|\$\{__interval\}/g, '15s')
    .replace(/\$__range|\$\{__range\}/g, '5m')
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, '.*');
}

let app: App;
let server: FastifyInstance;
let prometheus: PrometheusServer;
let feeding: Promise<void>;
let stopFeeding = false;

const FAULTS = { pii_in_text: 0.05, missing_required: 0.02, unknown_contract: 0.01, type_mismatch: 0.02 };
let refusers = 0;

/** A consent violation: a user refuses every purpose, then a message of theirs is processed anyway. */
function refusal(message: Record<string, unknown>): string[] {
  const user = `e2e-refuser-${++refusers}`;
  const at = Date.now();
  return [
    JSON.stringify({
      event_id: randomUUID(),
      event_type: 'consent.updated',
      schema_version: '1.1.0',
      occurred_at: new Date(at - 1000).toISOString(),
      user_id: user,
      channel: 'chat',
      purposes_granted: [],
      purposes_denied: ['analytics', 'model_training', 'recording', 'personalization', 'advertising'],
      gpc: false,
      consent_version: 'v3',
      source: 'banner',
    }),
    JSON.stringify({
      ...message,
      event_id: randomUUID(),
      user_id: user,
      occurred_at: new Date(at).toISOString(),
    }),
  ];
}

/** Posts `count` generated events (PII in some texts, schema faults) and a consent violation; the last event's time. */
async function postGenerated(base: string, generator: TrafficGenerator, count: number): Promise<number> {
  const generated = Array.from({ length: count }, () => generator.next());
  const lines = generated.map((g) => g.raw);
  const message = generated.find((g) => g.event?.event_type === 'conversation.message' && !g.fault)?.event;
  if (message) lines.push(...refusal(message));
  // A batch refused for load (503, the embedded store busy on a loaded machine) is sent again: the history must arrive whole.
  for (let attempt = 0; attempt < 50; attempt++) {
    const res = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines.join('\n'),
    });
    // Read to the end, so the connection goes back to the pool instead of staying open.
    await res.arrayBuffer();
    if (res.status !== 503) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const last = generated.findLast((g) => typeof g.event?.occurred_at === 'string')?.event?.occurred_at;
  return Date.parse(String(last));
}

let historyFed: Promise<void>;

/**
 * History first, as fast as earshot takes it: two days of sparse traffic
 * (calibration's window is a day and its reference the day before), then
 * three dense hours (the distribution and embedding monitors' hour-long
 * windows), so every windowed monitor has a reference and a current window.
 * Then live traffic at about its event-time rate until stopped.
 */
async function feed(base: string): Promise<void> {
  const now = Date.now();
  let done: () => void = () => undefined;
  let failed: (err: unknown) => void = () => undefined;
  historyFed = new Promise((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  // Awaited by the dashboard test; marked handled here so a failure is reported there, not as unhandled.
  historyFed.catch(() => undefined);
  try {
    await feedHistory(base, now);
  } catch (err) {
    failed(err);
    throw err;
  }
  done();
  const live = new TrafficGenerator({ seed: 7, start: new Date(), eventsPerSecond: 1200, faults: FAULTS });
  while (!stopFeeding) {
    await postGenerated(base, live, 300);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function feedHistory(base: string, now: number): Promise<void> {
  const hour = 3_600_000;
  const history = [
    {
      generator: new TrafficGenerator({
        seed: 5,
        start: new Date(now - 50 * hour),
        eventsPerSecond: 0.2,
        faults: FAULTS,
      }),
      until: now - 3 * hour,
    },
    {
      generator: new TrafficGenerator({
        seed: 6,
        start: new Date(now - 3 * hour),
        eventsPerSecond: 1,
        faults: FAULTS,
      }),
      until: now,
    },
  ];
  for (const { generator, until } of history) {
    while (!stopFeeding && (await postGenerated(base, generator, 2000)) < until) {
      // Next batch.
    }
  }
}

/** Polls `check` every second until it returns a value or `ms` passes. */
async function eventually<T>(ms: number, check: () => Promise<T | null>): Promise<T | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('the on-call pack against a real Prometheus', () => {
  // The spool and the NATS source are on, as in production, so their series are scraped too.
  const stream = `EARSHOT_E2E_${process.pid}_${randomUUID().slice(0, 8)}`;
  let spoolDir: string;

  beforeAll(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'earshot-e2e-spool-'));
    const config = buildConfig({
      store: { dataDir: 'memory://', spool: { dir: spoolDir } },
      sources: {
        nats: { enabled: true, stream, subject: `${stream.toLowerCase()}.events`, createStream: true },
      },
      log: { level: 'silent' },
      privacy: { hashSalt: 'e2e' },
      evaluateIntervalSeconds: 1,
    });
    config.experiments.push(demoExperiment());
    app = await createApp(config);
    server = await buildServer(app);
    await app.start();
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    prometheus = await startPrometheus(new URL(base).host, await ruleFiles());
    feeding = feed(base);
  }, 60_000);

  afterAll(async () => {
    stopFeeding = true;
    await feeding;
    await prometheus?.stop();
    await server?.close();
    await app?.stop();
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
    await nc.close();
    await rm(spoolDir, { recursive: true, force: true });
  }, 60_000);

  it('raises the alerts for a PII leak and for consent violations', async () => {
    const all = await rules();
    const pii = all.filter((r) => r.alert && r.expr.includes('pii_leak')).map((r) => r.alert!);
    const consent = all
      .filter((r) => r.alert && r.expr.includes('earshot_consent_violations_total'))
      .map((r) => r.alert!);
    expect(pii.length).toBeGreaterThan(0);
    expect(consent.length).toBeGreaterThan(0);
    type Alert = { labels: { alertname: string }; state: string };
    const raised = await eventually(60_000, async () => {
      const { alerts } = await prometheus.api<{ alerts: Alert[] }>('alerts');
      const active = new Set(
        alerts.filter((a) => a.state === 'pending' || a.state === 'firing').map((a) => a.labels.alertname),
      );
      return pii.some((a) => active.has(a)) && consent.some((a) => active.has(a)) ? active : null;
    });
    expect(raised, prometheus.log()).not.toBeNull();
  }, 90_000);

  it('evaluates every rule without error, and every recording rule has data', async () => {
    type RuleState = { name: string; health: string; lastError?: string; type: string };
    const bad = await eventually(30_000, async () => {
      const { groups } = await prometheus.api<{ groups: Array<{ rules: RuleState[] }> }>('rules');
      const states = groups.flatMap((g) => g.rules);
      const unhealthy = states.filter((r) => r.health !== 'ok');
      return states.length > 0 && unhealthy.length === 0 ? [] : null;
    });
    expect(bad).toEqual([]);
    const records = (await rules()).filter((x) => x.record).map((x) => x.record!);
    // Each group evaluates every second; a record has data once its group has run over scraped samples.
    const empty = await eventually(30_000, async () => {
      const missing: string[] = [];
      for (const record of records) {
        const data = await prometheus.api<{ result: unknown[] }>('query', { query: record });
        if (data.result.length === 0) missing.push(record);
      }
      return missing.length === 0 ? missing : null;
    });
    expect(empty).toEqual([]);
  }, 90_000);

  it("has data for every series an alert reads (the alerts' inputs: their conditions need not hold)", async () => {
    await historyFed;
    const selectors = new Set<string>();
    for (const r of (await rules()).filter((x) => x.alert)) {
      for (const m of r.expr.matchAll(SELECTOR)) selectors.add(m[0].replace(/\s+/g, ''));
    }
    expect(selectors.size).toBeGreaterThan(20);
    let out: string[] = [];
    const missing = await eventually(45_000, async () => {
      out = [];
      for (const selector of selectors) {
        const data = await prometheus.api<{ result: unknown[] }>('query', { query: selector });
        if (data.result.length === 0) out.push(selector);
      }
      return out.length === 0 ? out : null;
    });
    expect(missing, out.join('\n')).toEqual([]);
  }, 90_000);

  it('answers every dashboard expression, each with data', async () => {
    await historyFed;
    const panels = await panelExpressions();
    expect(panels.length).toBeGreaterThan(0);
    // After the history, the monitors evaluate (every second) and Prometheus scrapes (every 2 s).
    let failed: string[] = [];
    const failures = await eventually(60_000, async () => {
      failed = [];
      for (const { where, expr } of panels) {
        try {
          const data = await prometheus.api<{ result: unknown[] }>('query', { query: substitute(expr) });
          if (data.result.length === 0) failed.push(`${where}: no data for ${expr}`);
        } catch (err) {
          failed.push(`${where}: ${(err as Error).message}`);
        }
      }
      return failed.length === 0 ? failed : null;
    });
    expect(failures, failed.join('\n')).toEqual([]);
  }, 150_000);
});
