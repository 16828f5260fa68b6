import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestApp, type TestApp } from '../monitor/http/test-app.js';
import { registerNatsMetrics } from '../monitor/metrics/nats-metrics.js';

/**
 * A linter for the dashboards in grafana/dashboards, in the spirit of Grafana's
 * dashboard-linter: every panel is templated on the datasource, titled,
 * described and given a unit; rates use $__rate_interval; and every metric and
 * label an expression names exists on earshot's /metrics, or is a recording
 * rule of alerts/earshot-recording.rules.yml that keeps that label.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

/**
 * The schemaVersion each Grafana release (major.minor) writes when it saves a
 * dashboard; patch releases add no migrations. Add the version before moving
 * docker-compose.yml's grafana image to it.
 *
 * 11.2: 39. Sources: dashboards exported from Grafana 11.2.2 (panels with
 * `"pluginVersion": "11.2.2"`) carry `"schemaVersion": 39`; the next
 * migration, to 40 (the dashboard `refresh` normalized to a string,
 * grafana/grafana apps/dashboard/pkg/migration/schemaversion/v40.go, frontend
 * public/app/features/dashboard/state/DashboardMigrator.ts), came with a later
 * release. A dashboard at 39 is therefore loaded by 11.2 without migration.
 */
const SCHEMA_VERSIONS: Record<string, number> = { '11.2': 39 };

/** The Grafana version the compose stack runs: the tag of its grafana image. */
function composeGrafanaVersion(): string {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { image?: string }>;
  };
  const image = compose.services.grafana?.image ?? '';
  const version = /^grafana\/grafana(?:-oss|-enterprise)?:(\d+\.\d+\.\d+)$/.exec(image)?.[1];
  if (!version)
    throw new Error(`docker-compose.yml: grafana image ${JSON.stringify(image)} is not pinned to a release`);
  return version;
}

const GRAFANA_VERSION = composeGrafanaVersion();
const GRAFANA_MINOR = GRAFANA_VERSION.split('.').slice(0, 2).join('.');
const SCHEMA_VERSION: number | undefined = SCHEMA_VERSIONS[GRAFANA_MINOR];

const DASHBOARD_DIR = join(here, 'dashboards');
/** Where docker-compose mounts grafana/dashboards inside the Grafana container. */
const MOUNTED_DASHBOARD_DIR = '/var/lib/grafana/dashboards';

const EXPECTED: Record<string, { uid: string; variables: string[] }> = {
  'overview.json': { uid: 'earshot-overview', variables: ['datasource', 'instance', 'contract'] },
  'privacy-consent.json': { uid: 'earshot-privacy', variables: ['datasource', 'instance', 'contract'] },
  // `model` repeats the reliability diagram, one per model.
  'model-health.json': {
    uid: 'earshot-model-health',
    variables: ['datasource', 'instance', 'contract', 'model'],
  },
  'experiments.json': { uid: 'earshot-experiments', variables: ['datasource', 'instance', 'experiment'] },
};

/** Grafana unit ids the dashboards may use (a typo would silently show raw numbers). */
const KNOWN_UNITS = new Set([
  'none',
  'short',
  'percentunit',
  'percent',
  's',
  'ms',
  'bytes',
  'reqps',
  'eps',
  'cps',
  'ops',
  'dateTimeAsIso',
]);

/** Labels Prometheus attaches to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JavaScript template.
const DATASOURCE_REFS = new Set(['${datasource}', '$datasource']);

type Json = Record<string, unknown>;

interface Panel extends Json {
  type: string;
  title?: string;
  description?: string;
  datasource?: unknown;
  fieldConfig?: { defaults?: { unit?: unknown } };
  targets?: Array<Json & { expr?: string; refId?: string; datasource?: unknown }>;
  panels?: Panel[];
  id?: number;
  links?: Array<{ url?: string }>;
}

interface Dashboard extends Json {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  links: Array<{ type: string; url?: string; tags?: string[] }>;
  templating: { list: Array<Json & { name: string; type: string; query?: unknown; definition?: string }> };
}

function loadDashboards(): Array<{ file: string; text: string; json: Dashboard }> {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(DASHBOARD_DIR, file), 'utf8');
      return { file, text, json: JSON.parse(text) as Dashboard };
    });
}

/** Every panel, those inside collapsed rows included. */
function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

function isDatasourceRef(ds: unknown): boolean {
  if (typeof ds === 'string') return DATASOURCE_REFS.has(ds);
  if (ds === null || typeof ds !== 'object') return false;
  const { uid, type } = ds as { uid?: unknown; type?: unknown };
  return typeof uid === 'string' && DATASOURCE_REFS.has(uid) && (type === undefined || type === 'prometheus');
}

// ---------------------------------------------------------------- a small PromQL scanner

interface Token {
  kind: 'ident' | 'string' | 'number' | 'op' | 'punct';
  text: string;
}

const TOKEN =
  /\s+|(?<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|(?<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:ms|[smhdwy])*)|(?<ident>[A-Za-z_:][\w:]*)|(?<op>=~|!~|!=|==|>=|<=|[-+*/%^<>=])|(?<punct>[(){}[\],])/y;

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(expr);
    if (!m) throw new Error(`cannot read ${JSON.stringify(expr.slice(at, at + 20))} in ${expr}`);
    const g = m.groups ?? {};
    for (const kind of ['string', 'number', 'ident', 'op', 'punct'] as const) {
      const text = g[kind];
      if (text !== undefined) tokens.push({ kind, text });
    }
  }
  return tokens;
}

const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'count',
  'count_values',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
]);
const FUNCTIONS = new Set([
  ...AGGREGATIONS,
  'abs',
  'absent',
  'avg_over_time',
  'clamp_max',
  'clamp_min',
  'delta',
  'deriv',
  'histogram_quantile',
  'increase',
  'irate',
  'label_replace',
  'max_over_time',
  'min_over_time',
  'rate',
  'round',
  'scalar',
  'sort',
  'sort_desc',
  'time',
  'vector',
]);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset']);

interface Matcher {
  label: string;
  op: string;
  value: string;
}
interface Selector {
  name: string;
  matchers: Matcher[];
  at: number;
}
interface Grouping {
  keyword: string;
  labels: string[];
  /** Token range of the aggregation's argument, for by and without; the whole expression otherwise. */
  from: number;
  to: number;
}

function scanPromQL(expr: string): { selectors: Selector[]; groupings: Grouping[] } {
  const tokens = tokenize(expr.replaceAll('$__rate_interval', '1m'));
  const close = new Map<number, number>();
  const open = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (t.text === '(') stack.push(i);
    if (t.text === ')') {
      const o = stack.pop();
      if (o === undefined) throw new Error(`unbalanced ) in ${expr}`);
      close.set(o, i);
      open.set(i, o);
    }
  });
  if (stack.length) throw new Error(`unbalanced ( in ${expr}`);
  const selectors: Selector[] = [];
  const groupings: Grouping[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.text === '[') {
      while (i < tokens.length && tokens[i]!.text !== ']') i++;
      i++;
      continue;
    }
    if (t.text === '{') throw new Error(`a selector without a metric name in ${expr}`);
    if (t.kind !== 'ident') {
      i++;
      continue;
    }
    if (GROUPING.has(t.text)) {
      if (next?.text !== '(') {
        i++;
        continue;
      }
      const end = close.get(i + 1)!;
      const labels = tokens
        .slice(i + 2, end)
        .filter((x) => x.kind === 'ident')
        .map((x) => x.text);
      let from = 0;
      let to = tokens.length;
      if (t.text === 'by' || t.text === 'without') {
        const before = tokens[i - 1];
        if (before?.kind === 'ident' && AGGREGATIONS.has(before.text) && tokens[end + 1]?.text === '(') {
          from = end + 1;
          to = close.get(end + 1)!;
        } else if (before?.text === ')') {
          from = open.get(i - 1)!;
          to = i - 1;
        } else {
          throw new Error(`${t.text} (...) outside an aggregation in ${expr}`);
        }
      }
      groupings.push({ keyword: t.text, labels, from, to });
      i = end + 1;
      continue;
    }
    if (AGGREGATIONS.has(t.text) && (next?.text === 'by' || next?.text === 'without')) {
      i++;
      continue;
    }
    if (next?.text === '(') {
      if (!FUNCTIONS.has(t.text)) throw new Error(`unknown function ${t.text} in ${expr}`);
      i++;
      continue;
    }
    if (KEYWORDS.has(t.text)) {
      i++;
      continue;
    }
    const selector: Selector = { name: t.text, matchers: [], at: i };
    i++;
    if (tokens[i]?.text === '{') {
      i++;
      while (tokens[i] && tokens[i]!.text !== '}') {
        const [label, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
        if (
          label?.kind !== 'ident' ||
          !op ||
          !['=', '!=', '=~', '!~'].includes(op.text) ||
          value?.kind !== 'string'
        ) {
          throw new Error(`cannot read the matchers of ${selector.name} in ${expr}`);
        }
        selector.matchers.push({ label: label.text, op: op.text, value: value.text.slice(1, -1) });
        i += 3;
        if (tokens[i]?.text === ',') i++;
      }
      if (tokens[i]?.text !== '}') throw new Error(`unterminated matchers in ${expr}`);
      i++;
    }
    selectors.push(selector);
  }
  return { selectors, groupings };
}

/** Problems with one expression against the metric catalogue (series name to label names). */
function lintExpr(expr: string, catalogue: Map<string, Set<string>>, variables: Set<string>): string[] {
  const problems: string[] = [];
  for (const m of expr.matchAll(/\b(rate|irate|increase)\s*\(/g)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < expr.length; end++) {
      if (expr[end] === '(') depth++;
      if (expr[end] === ')' && --depth === 0) break;
    }
    const inner = expr.slice(m.index + m[0].length, end);
    const range = /\[([^\]]*)\]\s*$/.exec(inner)?.[1];
    if (range !== '$__rate_interval')
      problems.push(`${m[1]}() over [${range ?? '?'}], not [$__rate_interval]`);
    const record = /[A-Za-z_]\w*:[\w:]*/.exec(inner)?.[0];
    if (record) problems.push(`${m[1]}() of the recording rule ${record}, a rate already`);
  }
  for (const v of expr.matchAll(/\$\{?(\w+)/g)) {
    if (v[1] !== '__rate_interval' && !variables.has(v[1]!)) problems.push(`undefined variable $${v[1]}`);
  }
  let scan: ReturnType<typeof scanPromQL>;
  try {
    scan = scanPromQL(expr);
  } catch (e) {
    return [...problems, (e as Error).message];
  }
  const { selectors, groupings } = scan;
  if (selectors.length === 0) problems.push('no metric');
  for (const s of selectors) {
    const labels = catalogue.get(s.name);
    if (!labels) {
      problems.push(`unknown metric ${s.name}`);
      continue;
    }
    for (const m of s.matchers) {
      if (!labels.has(m.label)) problems.push(`${s.name} has no label ${m.label}`);
      if (m.value.includes('$') && m.op !== '=~')
        problems.push(`${s.name}{${m.label}${m.op}"${m.value}"}: variables need =~`);
    }
  }
  for (const g of groupings) {
    const inside = selectors.filter((s) => s.at > g.from && s.at < g.to && catalogue.has(s.name));
    for (const label of g.labels) {
      const ok =
        g.keyword === 'by' || g.keyword === 'without'
          ? inside.length > 0 && inside.every((s) => catalogue.get(s.name)!.has(label))
          : inside.some((s) => catalogue.get(s.name)!.has(label));
      if (!ok) problems.push(`${g.keyword} (${label}): not a label of the metrics it applies to`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------- the metric catalogue

interface LabelledMetric {
  labelNames?: unknown;
}

async function catalogueOf(
  registry: Registry,
  keep: (name: string) => boolean,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const m of await registry.getMetricsAsJSON()) {
    if (!keep(m.name)) continue;
    const labelNames = (registry.getSingleMetric(m.name) as unknown as LabelledMetric | undefined)
      ?.labelNames;
    if (!Array.isArray(labelNames)) throw new Error(`no label names on ${m.name}`);
    const labels = [...labelNames, ...TARGET_LABELS] as string[];
    const type = String(m.type);
    if (type === 'histogram') {
      out.set(`${m.name}_bucket`, new Set([...labels, 'le']));
      out.set(`${m.name}_sum`, new Set(labels));
      out.set(`${m.name}_count`, new Set(labels));
    } else if (type === 'summary') {
      out.set(m.name, new Set([...labels, 'quantile']));
      out.set(`${m.name}_sum`, new Set(labels));
      out.set(`${m.name}_count`, new Set(labels));
    } else {
      out.set(m.name, new Set(labels));
    }
  }
  return out;
}

// ---------------------------------------------------------------- the recording rules

const RECORDING_RULES = join(root, 'alerts', 'earshot-recording.rules.yml');

/**
 * The labels a recording rule's series keep: those of its outermost
 * aggregations' by (...), shared by every one of them (one-to-one
 * arithmetic between them keeps the labels both sides have), le dropped
 * by histogram_quantile. Vector matching with on/ignoring and without
 * (...) are not read.
 */
function recordLabels(expr: string): Set<string> {
  const { groupings } = scanPromQL(expr);
  const unread = groupings.find((g) => g.keyword !== 'by');
  if (unread) throw new Error(`${unread.keyword} (...) in a recording rule: ${expr}`);
  const outer = groupings.filter((g) => !groupings.some((o) => o !== g && o.from < g.from && g.to <= o.to));
  if (outer.length === 0) {
    const first = tokenize(expr)[0]?.text ?? '';
    if (!AGGREGATIONS.has(first)) throw new Error(`cannot tell the labels of ${expr}`);
    return new Set();
  }
  let labels = new Set(outer[0]!.labels);
  for (const g of outer.slice(1)) labels = new Set([...labels].filter((l) => g.labels.includes(l)));
  if (/^\s*histogram_quantile\s*\(/.test(expr)) labels.delete('le');
  return labels;
}

/** Recording rule name to the labels its series keep. */
function recordCatalogue(): Map<string, Set<string>> {
  const doc = parse(readFileSync(RECORDING_RULES, 'utf8')) as {
    groups: Array<{ rules: Array<{ record?: string; expr: string }> }>;
  };
  const out = new Map<string, Set<string>>();
  for (const rule of doc.groups.flatMap((g) => g.rules)) {
    if (rule.record) out.set(rule.record, recordLabels(rule.expr));
  }
  return out;
}

// ---------------------------------------------------------------- tests

describe('the PromQL linter itself', () => {
  const catalogue = new Map([
    ['earshot_events_total', new Set(['contract', 'outcome', ...TARGET_LABELS])],
    ['earshot_pipeline_batch_duration_seconds_bucket', new Set(['source', 'le', ...TARGET_LABELS])],
  ]);
  const vars = new Set(['instance']);

  it('accepts a well-formed expression', () => {
    const expr =
      'histogram_quantile(0.99, sum by (le, source) (rate(earshot_pipeline_batch_duration_seconds_bucket{job="earshot", instance=~"$instance"}[$__rate_interval])))';
    expect(lintExpr(expr, catalogue, vars)).toEqual([]);
  });

  it('names unknown metrics, missing labels, fixed ranges and undefined variables', () => {
    expect(lintExpr('sum(rate(earshot_event_total[5m]))', catalogue, vars)).toEqual([
      'rate() over [5m], not [$__rate_interval]',
      'unknown metric earshot_event_total',
    ]);
    expect(lintExpr('sum by (detector) (earshot_events_total{model="x"})', catalogue, vars)).toEqual([
      'earshot_events_total has no label model',
      'by (detector): not a label of the metrics it applies to',
    ]);
    expect(lintExpr('earshot_events_total{contract="$contract"}', catalogue, vars)).toEqual([
      'undefined variable $contract',
      'earshot_events_total{contract="$contract"}: variables need =~',
    ]);
  });

  it('reads recording rules as the labels they keep, and refuses a rate of one', () => {
    const withRecords = new Map([
      ...catalogue,
      ['earshot:events:rate5m', recordLabels('sum by (job, instance, contract, outcome) (rate(x[5m]))')],
      ['earshot:events_total:rate5m', recordLabels('sum(rate(x[5m])) / sum(rate(y[5m]))')],
    ]);
    expect(withRecords.get('earshot:events:rate5m')).toEqual(
      new Set(['job', 'instance', 'contract', 'outcome']),
    );
    expect(
      lintExpr('sum by (outcome) (earshot:events:rate5m{instance=~"$instance"})', withRecords, vars),
    ).toEqual([]);
    expect(
      lintExpr('sum by (source) (earshot:events_total:rate5m{instance="a"})', withRecords, vars),
    ).toEqual([
      'earshot:events_total:rate5m has no label instance',
      'by (source): not a label of the metrics it applies to',
    ]);
    expect(lintExpr('sum(rate(earshot:events:rate5m[$__rate_interval]))', withRecords, vars)).toEqual([
      'rate() of the recording rule earshot:events:rate5m, a rate already',
    ]);
    expect(lintExpr('sum(earshot:event:rate5m)', withRecords, vars)).toEqual([
      'unknown metric earshot:event:rate5m',
    ]);
    expect(
      recordLabels(
        'histogram_quantile(0.99, sum by (source, le) (earshot:batch_duration_seconds_bucket:rate10m))',
      ),
    ).toEqual(new Set(['source']));
    expect(
      recordLabels(
        'sum by (contract) (rate(a[5m]) ) / sum by (contract, outcome) (sum by (contract, outcome, x) (b))',
      ),
    ).toEqual(new Set(['contract']));
  });

  it('checks grouping labels against the aggregation they belong to, prefix or postfix', () => {
    expect(lintExpr('sum(earshot_events_total) by (outcome)', catalogue, vars)).toEqual([]);
    expect(lintExpr('sum(earshot_events_total) by (le)', catalogue, vars)).toEqual([
      'by (le): not a label of the metrics it applies to',
    ]);
  });
});

describe('Grafana dashboards', () => {
  const dashboards = loadDashboards();
  let testApp: TestApp;
  let spoolDir: string;
  let catalogue: Map<string, Set<string>>;
  const records = recordCatalogue();

  beforeAll(async () => {
    // A spool directory, so the app registers the spool's metrics (an in-memory store has no spool of its own).
    spoolDir = mkdtempSync(join(tmpdir(), 'earshot-grafana-spool-'));
    testApp = await createTestApp({ config: { store: { spool: { dir: spoolDir } } } });
    catalogue = await catalogueOf(testApp.app.metrics.registry, () => true);
    // The NATS source needs a JetStream server; its metrics come from the function the app registers them with.
    const nats = new Registry();
    registerNatsMetrics(nats, async () => ({ pending: 0, ackPending: 0 }));
    for (const [name, labels] of await catalogueOf(nats, () => true)) catalogue.set(name, labels);
    nats.clear();
    // Test apps run without process metrics; take their names and labels from prom-client's own defaults.
    const runtime = new Registry();
    collectDefaultMetrics({ register: runtime });
    for (const [name, labels] of await catalogueOf(
      runtime,
      (n) => n.startsWith('process_') || n.startsWith('nodejs_'),
    )) {
      catalogue.set(name, labels);
    }
    runtime.clear();
    catalogue.set('up', new Set(TARGET_LABELS));
    for (const [name, labels] of records) catalogue.set(name, labels);
  });

  afterAll(async () => {
    await testApp?.close();
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  });

  it('are the four expected files, with unique uids', () => {
    expect(dashboards.map((d) => d.file)).toEqual(Object.keys(EXPECTED).sort());
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const d of dashboards) expect(d.json.uid, d.file).toBe(EXPECTED[d.file]!.uid);
  });

  it('read the metric catalogue from a live app', () => {
    expect(catalogue.has('earshot_events_total')).toBe(true);
    expect(catalogue.has('earshot_pipeline_batch_duration_seconds_bucket')).toBe(true);
    expect(catalogue.get('earshot_experiment_lift_bound')).toContain('interval');
    expect(catalogue.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect(catalogue.get('earshot_spool_units_total')).toContain('event');
    expect(catalogue.get('earshot_nats_consumer_messages')).toContain('state');
  });

  it(`knows the schemaVersion of the Grafana the stack runs (${GRAFANA_VERSION})`, () => {
    expect(
      SCHEMA_VERSION,
      `Grafana ${GRAFANA_MINOR} (docker-compose.yml) is not in SCHEMA_VERSIONS: add it with its source`,
    ).toBeDefined();
  });

  it('reads the recording rules, and the dashboards read every rule kept per instance', () => {
    expect(records.size).toBeGreaterThan(0);
    const exprs = dashboards.flatMap(({ json }) =>
      allPanels(json).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')),
    );
    const read = new Set(exprs.flatMap((e) => scanPromQL(e).selectors.map((x) => x.name)));
    for (const [name, labels] of records) {
      if (labels.has('instance'))
        expect(read, `${name} is kept per instance for no dashboard`).toContain(name);
    }
  });

  describe.each(dashboards)('$file', ({ file, json: d }) => {
    const panels = allPanels(d);
    const variables = new Map(d.templating.list.map((v) => [v.name, v]));

    it(`has schemaVersion ${SCHEMA_VERSION} (Grafana ${GRAFANA_VERSION}), a title and the earshot tag`, () => {
      expect(d.schemaVersion).toBe(SCHEMA_VERSION);
      expect(d.title).toMatch(/^earshot \/ /);
      expect(d.tags).toContain('earshot');
      expect(d.id ?? null).toBeNull();
    });

    it('has the templated datasource variable and the expected variables', () => {
      expect(d.templating.list.map((v) => v.name)).toEqual(EXPECTED[file]!.variables);
      const ds = variables.get('datasource')!;
      expect(ds.type).toBe('datasource');
      expect(ds.query).toBe('prometheus');
      const instance = variables.get('instance')!;
      expect(instance.definition).toBe('label_values(up{job="earshot"}, instance)');
      const contract = variables.get('contract');
      if (contract) expect(contract.definition).toBe('label_values(earshot_events_total, contract)');
      for (const v of d.templating.list) {
        if (v.type !== 'query') continue;
        expect(isDatasourceRef(v.datasource), v.name).toBe(true);
        expect(v.multi, v.name).toBe(true);
        expect(v.includeAll, v.name).toBe(true);
        const query = (v.query as { query?: string }).query;
        expect(query, v.name).toBe(v.definition);
      }
    });

    it('has variable queries naming metrics and labels earshot exports', () => {
      for (const v of d.templating.list) {
        if (v.type !== 'query') continue;
        const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.definition ?? '');
        expect(m, v.name).not.toBeNull();
        const [, selector, label] = m!;
        expect(lintExpr(selector!, catalogue, new Set(variables.keys())), v.name).toEqual([]);
        const metric = scanPromQL(selector!).selectors[0]!.name;
        expect(catalogue.get(metric), v.name).toContain(label);
      }
    });

    it('gives every panel an id of its own and a place on the grid', () => {
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of panels) {
        const pos = p.gridPos as { x: number; y: number; w: number; h: number };
        expect(pos.x + pos.w, String(p.title)).toBeLessThanOrEqual(24);
        expect(pos.h, String(p.title)).toBeGreaterThan(0);
      }
    });

    it('gives every panel, in rows too, a title, a description and a unit', () => {
      for (const p of panels) {
        expect(typeof p.title === 'string' && p.title.trim().length > 0, JSON.stringify(p.gridPos)).toBe(
          true,
        );
        if (p.type === 'row') continue;
        expect(p.description?.trim(), p.title).toBeTruthy();
        const unit = p.fieldConfig?.defaults?.unit;
        expect(KNOWN_UNITS.has(unit as string), `${p.title}: unit ${String(unit)}`).toBe(true);
        expect(p.pluginVersion, p.title).toBe(GRAFANA_VERSION);
      }
    });

    it('points every panel and target at the datasource variable', () => {
      for (const p of panels) {
        if (p.type === 'row') {
          if (p.datasource !== undefined && p.datasource !== null)
            expect(isDatasourceRef(p.datasource)).toBe(true);
          continue;
        }
        expect(isDatasourceRef(p.datasource), p.title).toBe(true);
        expect(p.targets?.length, p.title).toBeGreaterThan(0);
        const refIds = p.targets!.map((t) => t.refId);
        expect(new Set(refIds).size, p.title).toBe(refIds.length);
        for (const t of p.targets!) expect(isDatasourceRef(t.datasource), `${p.title} ${t.refId}`).toBe(true);
      }
      expect(
        d.templating.list
          .filter((v) => v.datasource !== undefined)
          .every((v) => isDatasourceRef(v.datasource)),
      ).toBe(true);
    });

    it('queries only metrics and labels of /metrics or the recording rules, raw rates over $__rate_interval', () => {
      const names = new Set(variables.keys());
      const problems: string[] = [];
      for (const p of panels) {
        for (const t of p.targets ?? []) {
          for (const problem of lintExpr(t.expr ?? '', catalogue, names))
            problems.push(`${p.title} ${t.refId}: ${problem}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('uses every variable it defines, and only those', () => {
      const text = JSON.stringify(panels);
      for (const name of variables.keys()) {
        if (name === 'datasource') continue;
        expect(text.includes(`$${name}`), name).toBe(true);
      }
    });

    it('links to the other three dashboards by uid', () => {
      const uids = Object.values(EXPECTED).map((e) => e.uid);
      const linked = d.links.flatMap((l) =>
        l.type === 'link' ? [/^\/d\/([\w-]+)/.exec(l.url ?? '')?.[1]] : [],
      );
      expect(linked.sort()).toEqual(uids.filter((u) => u !== d.uid).sort());
      expect(d.links.some((l) => l.type === 'dashboards' && l.tags?.includes('earshot'))).toBe(true);
      const everyUrl = [...JSON.stringify(d).matchAll(/\/d\/([\w-]+)/g)].map((m) => m[1]);
      for (const uid of everyUrl) expect(uids).toContain(uid);
    });
  });
});

describe('Grafana provisioning', () => {
  const dir = join(here, 'provisioning');

  it('provisions the Prometheus datasource the dashboards default to', () => {
    const doc = parse(readFileSync(join(dir, 'datasources', 'prometheus.yml'), 'utf8')) as {
      apiVersion: number;
      datasources: Array<{ name: string; type: string; uid: string; url: string; access: string }>;
    };
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources).toHaveLength(1);
    const [ds] = doc.datasources;
    expect(ds).toMatchObject({
      type: 'prometheus',
      uid: 'prometheus',
      url: 'http://prometheus:9090',
      access: 'proxy',
    });
    for (const { json } of loadDashboards()) {
      const v = json.templating.list.find((x) => x.name === 'datasource') as { current?: { value?: string } };
      expect(v.current?.value, json.uid).toBe(ds!.uid);
    }
  });

  it('loads the dashboards folder through a file provider', () => {
    const doc = parse(readFileSync(join(dir, 'dashboards', 'earshot.yml'), 'utf8')) as {
      apiVersion: number;
      providers: Array<{ name: string; type: string; options: { path: string } }>;
    };
    expect(doc.apiVersion).toBe(1);
    expect(doc.providers).toHaveLength(1);
    const [provider] = doc.providers;
    expect(provider!.type).toBe('file');
    expect(provider!.options.path).toBe(MOUNTED_DASHBOARD_DIR);
    expect(readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json'))).toHaveLength(4);
  });
});
