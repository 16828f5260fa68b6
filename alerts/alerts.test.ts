import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestApp, type TestApp } from '../monitor/http/test-app.js';
import { registerNatsMetrics } from '../monitor/metrics/nats-metrics.js';
import { prometheusBinaries } from './prometheus-binaries.js';

const alertsDir = dirname(fileURLToPath(import.meta.url));
const testsDir = join(alertsDir, 'tests');
/** Served by earshot itself (GET /runbooks), at the compose stack's address. */
const RUNBOOK_BASE = 'http://localhost:8080/runbooks#';
const DASHBOARD_UIDS = ['earshot-overview', 'earshot-privacy', 'earshot-model-health', 'earshot-experiments'];
const SEVERITIES = ['critical', 'warning'];
/** Labels Prometheus attaches to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}
interface ExpAlert {
  exp_labels?: Record<string, string>;
  exp_annotations?: Record<string, string>;
}
interface PromtoolTestFile {
  rule_files: string[];
  tests: Array<{
    alert_rule_test?: Array<{ eval_time: string; alertname: string; exp_alerts?: ExpAlert[] | null }>;
  }>;
}

const ruleFiles = readdirSync(alertsDir)
  .filter((f) => f.endsWith('.rules.yml'))
  .sort();
const testFiles = readdirSync(testsDir)
  .filter((f) => f.endsWith('.test.yml'))
  .sort();
const rules: Rule[] = ruleFiles.flatMap((f) =>
  (parse(readFileSync(join(alertsDir, f), 'utf8')) as RuleFile).groups.flatMap((g) => g.rules),
);
const alerts = rules.filter((r): r is Rule & { alert: string } => typeof r.alert === 'string');
const records = rules.filter((r): r is Rule & { record: string } => typeof r.record === 'string');
const cases = testFiles.flatMap((f) =>
  (parse(readFileSync(join(testsDir, f), 'utf8')) as PromtoolTestFile).tests.flatMap(
    (t) => t.alert_rule_test ?? [],
  ),
);
const runbook = readFileSync(join(alertsDir, 'runbooks.md'), 'utf8');

function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: alertsDir }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}${err && code === 1 && !stderr ? err.message : ''}` });
    });
  });
}

/** GitHub's heading anchor: lower case, punctuation other than - and _ removed, spaces as -. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Markdown headings outside fenced code blocks, level and text. */
function headings(markdown: string): Array<{ level: number; text: string }> {
  const out: Array<{ level: number; text: string }> = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^(#{1,6})\s+(.+?)\s*$/.exec(line);
    if (m) out.push({ level: m[1]!.length, text: m[2]! });
  }
  return out;
}

/** The text of a `## name` section, up to the next heading of level 2. */
function section(markdown: string, name: string): string {
  const start = markdown.indexOf(`\n## ${name}\n`);
  if (start < 0) return '';
  const end = markdown.indexOf('\n## ', start + 4);
  return markdown.slice(start, end < 0 ? undefined : end);
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/**
 * The vector selectors of a PromQL expression: metric name (null for a
 * selector without one) and the label names of its matchers. A reader for
 * the subset of PromQL the rules use, not a parser.
 */
function selectors(expr: string): Array<{ metric: string | null; labels: string[] }> {
  const out: Array<{ metric: string | null; labels: string[] }> = [];
  let s = expr.replace(/#.*$/gm, ' ');
  s = s.replace(
    /([a-zA-Z_:][\w:]*)?\s*\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/g,
    (_m, name: string | undefined, body: string) => {
      const labels = [...body.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g)].map(
        (m) => m[1]!,
      );
      out.push({ metric: name ?? null, labels });
      return ' ';
    },
  );
  s = s
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?[\dsmhdwy]+/g, ' ');
  for (const m of s.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (m[2] || KEYWORDS.has(m[1]!.toLowerCase())) continue;
    out.push({ metric: m[1]!, labels: [] });
  }
  return out;
}

describe('selectors', () => {
  it('reads metric names and matcher label names, not functions, keywords, durations or strings', () => {
    expect(
      selectors(
        'sum by (kind) (increase(a_total{kind=~"x|y",detector!="z"}[5m] offset 1d)) / on () group_left () b:c:rate5m > 0.5 and absent(up{job="e"}) or vector(1e3)',
      ),
    ).toEqual([
      { metric: 'a_total', labels: ['kind', 'detector'] },
      { metric: 'up', labels: ['job'] },
      { metric: 'b:c:rate5m', labels: [] },
    ]);
  });
});

describe('promtool', () => {
  const { promtool } = prometheusBinaries();

  it('accepts the rule files', async () => {
    expect(ruleFiles).toEqual(['earshot-recording.rules.yml', 'earshot.rules.yml']);
    const result = await run(promtool, ['check', 'rules', ...ruleFiles]);
    expect(result.code, result.output).toBe(0);
  });

  it('passes the rule unit tests', async () => {
    expect(testFiles.length).toBeGreaterThan(0);
    const result = await run(promtool, ['test', 'rules', ...testFiles.map((f) => join('tests', f))]);
    expect(result.code, result.output).toBe(0);
  });
});

describe('alerting rules', () => {
  const anchors = new Set(headings(runbook).map((h) => githubAnchor(h.text)));
  const names = alerts.map((a) => a.alert);

  it('are a sensible number of uniquely named alerts', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(25);
    expect(names.length).toBeLessThanOrEqual(40);
  });

  it.each(names)('%s has a severity, a for, its annotations, a runbook section and a dashboard', (name) => {
    const rule = alerts.find((a) => a.alert === name)!;
    expect(SEVERITIES).toContain(rule.labels?.severity);
    expect(rule.for).toMatch(/^\d+[smhdwy]$/);
    const ann = rule.annotations ?? {};
    for (const key of ['summary', 'description', 'runbook_url', 'dashboard_url']) {
      expect(ann[key], key).toBeTruthy();
    }
    expect(ann.description).toContain('$value');
    expect(ann.runbook_url).toBe(`${RUNBOOK_BASE}${githubAnchor(name)}`);
    expect(anchors.has(ann.runbook_url!.slice(RUNBOOK_BASE.length))).toBe(true);
    const uid = /^http:\/\/localhost:3000\/d\/([^/?#]+)$/.exec(ann.dashboard_url!)?.[1];
    expect(DASHBOARD_UIDS).toContain(uid);
    const text = section(runbook, name);
    for (const part of ['**Means.**', '**Confirm.**', '**Do.**', '**Dashboard.**']) {
      expect(text, `${name}: ${part}`).toContain(part);
    }
    expect(text).toContain(`<http://localhost:3000/d/${uid}>`);
  });

  it.each(names)('%s is tested firing and not firing', (name) => {
    const mine = cases.filter((c) => c.alertname === name);
    const firing = mine.filter((c) => (c.exp_alerts ?? []).length > 0);
    expect(firing.length, `${name} fires in no test`).toBeGreaterThan(0);
    expect(mine.some((c) => (c.exp_alerts ?? []).length === 0)).toBe(true);
    const severity = alerts.find((a) => a.alert === name)!.labels!.severity;
    const labelsSeen = new Set<string>();
    for (const c of firing) {
      for (const e of c.exp_alerts!) {
        expect(e.exp_labels?.severity).toBe(severity);
        for (const k of Object.keys(e.exp_labels ?? {})) labelsSeen.add(k);
      }
    }
    // Templates only name labels the alert carries when it fires.
    const rule = alerts.find((a) => a.alert === name)!;
    for (const value of Object.values(rule.annotations ?? {})) {
      for (const m of value.matchAll(/\$labels\.(\w+)/g)) expect(labelsSeen, m[1]).toContain(m[1]);
    }
  });

  it('tests no alert the rules lack', () => {
    for (const c of cases) expect(names).toContain(c.alertname);
  });

  it('have a runbook section each, and the runbook no section for an alert that is gone', () => {
    const sections = headings(runbook)
      .filter((h) => h.level === 2)
      .map((h) => h.text);
    expect([...sections].sort()).toEqual([...names].sort());
  });
});

describe('recording rules', () => {
  it('are named earshot:<what>:<rate window>, each once', () => {
    const recordNames = records.map((r) => r.record);
    expect(recordNames.length).toBeGreaterThan(0);
    expect(new Set(recordNames).size).toBe(recordNames.length);
    for (const name of recordNames) expect(name).toMatch(/^earshot:[a-z0-9_]+:rate\d+[smhd]$/);
  });
});

describe('metric names and labels', () => {
  let testApp: TestApp;
  let spoolDir: string;
  /** Metric name to the label names its series can have. */
  const known = new Map<string, Set<string>>();

  beforeAll(async () => {
    // A spool directory, so the app registers the spool's metrics (an in-memory store has no spool of its own).
    spoolDir = mkdtempSync(join(tmpdir(), 'earshot-alerts-spool-'));
    testApp = await createTestApp({ config: { store: { spool: { dir: spoolDir } } } });
    // The NATS source needs a JetStream server; its metrics come from the function the app registers them with.
    const nats = new Registry();
    registerNatsMetrics(nats, async () => ({ pending: 0, ackPending: 0 }));
    for (const registry of [testApp.app.metrics.registry, nats]) {
      for (const m of await registry.getMetricsAsJSON()) {
        const metric = registry.getSingleMetric(m.name) as unknown as { labelNames?: readonly string[] };
        const labels = new Set([...(metric?.labelNames ?? []), ...TARGET_LABELS]);
        for (const v of m.values) for (const k of Object.keys(v.labels)) labels.add(k);
        // prom-client's typings say an enum; the objects carry the exposition's type name.
        if ((m.type as unknown as string) === 'histogram') {
          known.set(`${m.name}_bucket`, new Set([...labels, 'le']));
          known.set(`${m.name}_sum`, labels);
          known.set(`${m.name}_count`, labels);
        } else {
          known.set(m.name, labels);
        }
      }
    }
    nats.clear();
    // Recording rules: the labels their outermost aggregation keeps.
    for (const r of records) {
      const by = /\bby\s*\(([^)]*)\)/.exec(r.expr)?.[1] ?? '';
      known.set(
        r.record,
        new Set(
          by
            .split(',')
            .map((l) => l.trim())
            .filter(Boolean),
        ),
      );
    }
  });

  afterAll(async () => {
    await testApp?.close();
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  });

  /** Names the test app cannot show: the scrape's own `up`, and process metrics (off in test apps). */
  function labelsOf(metric: string): Set<string> | undefined {
    if (metric === 'up' || metric.startsWith('process_') || metric.startsWith('nodejs_')) {
      return new Set(TARGET_LABELS);
    }
    return known.get(metric);
  }

  it('the live app exports the earshot metrics the rules read', () => {
    for (const name of [
      'earshot_events_total',
      'earshot_findings_total',
      'earshot_experiment_srm',
      'earshot_spool_bytes',
      'earshot_nats_consumer_messages',
    ]) {
      expect(known.has(name), name).toBe(true);
    }
    expect(known.get('earshot_events_total')).toEqual(
      new Set(['contract', 'version', 'outcome', ...TARGET_LABELS]),
    );
  });

  it.each(rules.map((r) => [r.alert ?? r.record!, r.expr] as const))(
    '%s reads only metrics and labels earshot has',
    (_name, expr) => {
      const found = selectors(expr);
      expect(found.length).toBeGreaterThan(0);
      for (const { metric, labels } of found) {
        expect(metric, expr).not.toBeNull();
        const allowed = labelsOf(metric!);
        expect(allowed, `unknown metric ${metric}`).toBeDefined();
        for (const label of labels) expect(allowed, `${metric} has no label ${label}`).toContain(label);
      }
    },
  );
});
