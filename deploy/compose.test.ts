import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { prometheusBinaries } from '../alerts/prometheus-binaries.js';
import { buildConfig } from '../monitor/config/config.js';
import { packageRoot } from '../monitor/config/package-root.js';

/**
 * docker-compose.yml, the Dockerfile and deploy/'s configs checked statically (no Docker engine
 * needed): pinned images, mounts that exist and parse, and every name or port one file uses for
 * another (service names, container ports, config paths, environment variables) agreeing.
 */

const root = packageRoot();
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);
const asMapping = (v: unknown): Mapping => (isMapping(v) ? v : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

// ---------------------------------------------------------------- compose interpolation

/**
 * Compose's variable substitution on one string: $$, $VAR, ${VAR}, ${VAR:-default},
 * ${VAR-default}, ${VAR:?error}, ${VAR?error}. With an empty environment it gives the defaults
 * the file ships with; a required variable without a value throws.
 */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_all, dollar: string | undefined, name: string | undefined, op = '', arg = '', bare = '') => {
      if (dollar) return '$';
      const key = name ?? bare;
      const value = env[key];
      const unset = op.startsWith(':') ? !value : value === undefined;
      if (op.endsWith('-')) return unset ? arg : (value ?? '');
      if (op.endsWith('?') && unset) throw new Error(`\${${key}} is required: ${arg}`);
      return value ?? '';
    },
  );
}

function interpolateAll(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((x) => interpolateAll(x, env));
  if (isMapping(node))
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, env)]));
  return node;
}

// ---------------------------------------------------------------- compose model

interface Mount {
  source: string;
  target: string;
  bind: boolean;
}

const rawCompose = asMapping(parseYaml(read('docker-compose.yml')));
/** The file as Compose would run it with nothing set in the environment: the local defaults. */
const compose = asMapping(interpolateAll(rawCompose, {}));
const services = asMapping(compose.services);
const serviceNames = Object.keys(services);
const service = (name: string): Mapping => asMapping(services[name]);
const rawService = (name: string): Mapping => asMapping(asMapping(rawCompose.services)[name]);

function environmentOf(svc: Mapping): Record<string, string> {
  const env = svc.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const [k, ...v] = String(entry).split('=');
        return [k ?? '', v.join('=')];
      }),
    );
  }
  return Object.fromEntries(Object.entries(asMapping(env)).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Container ports a service publishes (short "host:container[/proto]" or long syntax). */
function containerPortsOf(svc: Mapping): number[] {
  return asArray(svc.ports).map((p) => {
    if (isMapping(p)) return Number(p.target);
    const withoutProto = String(p).split('/')[0] ?? '';
    return Number(withoutProto.split(':').pop());
  });
}

function mountsOf(svc: Mapping): Mount[] {
  return asArray(svc.volumes).map((v) => {
    if (isMapping(v)) {
      const source = String(v.source ?? '');
      return { source, target: String(v.target), bind: v.type === 'bind' };
    }
    const [source = '', target = ''] = String(v).split(':');
    return { source, target, bind: /^[./~]/.test(source) };
  });
}

const bindMounts = (name: string): Mount[] => mountsOf(service(name)).filter((m) => m.bind);
/** The container path a repository path is bind-mounted at in a service. */
function targetOf(name: string, repoPath: string): string {
  const mount = bindMounts(name).find((m) => resolve(root, m.source) === resolve(root, repoPath));
  if (!mount) throw new Error(`${name} does not mount ./${repoPath}`);
  return mount.target;
}
/** The repository file behind a container path, from the service's bind mounts. */
function hostPathOf(name: string, containerPath: string): string {
  for (const m of bindMounts(name)) {
    const rel = posix.relative(m.target, containerPath);
    if (!rel.startsWith('..') && !posix.isAbsolute(rel)) return resolve(root, m.source, rel);
  }
  throw new Error(`${name}: nothing mounted at ${containerPath}`);
}

function flagOf(svc: Mapping, flag: string): string | undefined {
  const args = Array.isArray(svc.command) ? svc.command.map(String) : String(svc.command ?? '').split(/\s+/);
  const arg = args.find((a) => a.startsWith(`${flag}=`));
  return arg?.slice(flag.length + 1);
}

/** "host:port" of a target that must be a compose service, checked against what it publishes. */
function expectServiceTarget(hostPort: string, expected: string): void {
  const [host, port] = hostPort.split(':');
  expect(host, hostPort).toBe(expected);
  expect(serviceNames).toContain(host);
  expect(containerPortsOf(service(expected)), `${hostPort}: ${expected}'s container port`).toContain(
    Number(port),
  );
}

function isPinned(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const lastPart = image.split('/').pop() ?? '';
  const tag = lastPart.includes(':') ? lastPart.split(':').pop() : undefined;
  return tag !== undefined && tag !== 'latest' && /\d/.test(tag);
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Whether the HTTP server registers a GET route at this path (monitor/http/*-route.ts). */
function hasRoute(path: string): boolean {
  return readdirSync(join(root, 'monitor', 'http'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .some((f) => read(join('monitor', 'http', f)).includes(`'${path}'`));
}

/** Environment variables the configuration reads (`env.NAME` in monitor/config/config.ts). */
const CONFIG_ENV = new Set(
  [...read('monitor/config/config.ts').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
);

// ---------------------------------------------------------------- Dockerfile model

interface Instruction {
  op: string;
  args: string;
}

function dockerfile(): Instruction[][] {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    if (op === 'FROM') stages.push([]);
    stages.at(-1)?.push({ op, args: m[2]!.trim() });
  }
  return stages;
}

const stages = dockerfile();
const finalStage = stages.at(-1) ?? [];
const all = (stage: Instruction[], op: string): string[] =>
  stage.filter((i) => i.op === op).map((i) => i.args);
/** CMD/HEALTHCHECK CMD in exec (JSON) form. */
const execForm = (args: string): string[] => JSON.parse(args.replace(/^.*?\bCMD\s+/, '')) as string[];

const EARSHOT_PORT = containerPortsOf(service('earshot'))[0];

// ---------------------------------------------------------------- the tests

describe('docker-compose.yml', () => {
  it('has the on-call stack', () => {
    expect(serviceNames.sort()).toEqual(['alertmanager', 'earshot', 'grafana', 'postgres', 'prometheus']);
    expect(service('earshot').build).toBe('.');
  });

  it('pins every image to a version (a tag that is not latest, or a digest)', () => {
    for (const name of serviceNames) {
      const image = service(name).image;
      if (image === undefined) {
        expect(service(name).build, `${name} has neither image nor build`).toBeDefined();
        continue;
      }
      expect(isPinned(String(image)), `${name}: ${image}`).toBe(true);
    }
  });

  it('mounts host paths that exist in the repository, and named volumes it declares', () => {
    const declared = Object.keys(asMapping(compose.volumes));
    for (const name of serviceNames) {
      for (const m of mountsOf(service(name))) {
        if (m.bind) {
          const host = resolve(root, m.source);
          expect(
            relative(root, host).startsWith('..'),
            `${name}: ${m.source} is outside the repository`,
          ).toBe(false);
          expect(existsSync(host), `${name}: ${m.source} (mounted at ${m.target}) does not exist`).toBe(true);
        } else {
          expect(declared, `${name}: volume ${m.source}`).toContain(m.source);
        }
      }
    }
  });

  it('mounts config files that parse (YAML and JSON under every bind mount)', () => {
    const files = serviceNames
      .flatMap((name) => bindMounts(name))
      .flatMap((m) => filesUnder(resolve(root, m.source)))
      .filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const parsed = () => (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text));
      expect(parsed, relative(root, file)).not.toThrow();
    }
  });

  it('gives every service a healthcheck, on the port it listens on', () => {
    for (const name of serviceNames) {
      const hc = asMapping(service(name).healthcheck);
      expect(hc.disable, name).not.toBe(true);
      const test = asArray(hc.test).map(String);
      expect(['CMD', 'CMD-SHELL'], `${name}: healthcheck.test`).toContain(test[0]);
      for (const [, port] of test.join(' ').matchAll(/https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)/g)) {
        expect(containerPortsOf(service(name)), `${name}: healthcheck port`).toContain(Number(port));
      }
    }
  });

  it('depends only on services that exist, healthy only where there is a healthcheck', () => {
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    for (const name of serviceNames) {
      const deps = service(name).depends_on;
      const entries = Array.isArray(deps)
        ? deps.map((d) => [String(d), 'service_started'] as const)
        : Object.entries(asMapping(deps)).map(([d, v]) => [d, String(asMapping(v).condition)] as const);
      for (const [dep, condition] of entries) {
        expect(serviceNames, `${name} depends on ${dep}`).toContain(dep);
        expect(dep).not.toBe(name);
        expect(conditions, `${name} -> ${dep}`).toContain(condition);
        if (condition === 'service_healthy') expect(service(dep).healthcheck, dep).toBeDefined();
      }
    }
  });

  describe('earshot', () => {
    const env = environmentOf(service('earshot'));

    it('sets only environment variables the configuration reads', () => {
      expect(CONFIG_ENV).toContain('DATABASE_URL');
      for (const name of Object.keys(env)) expect(CONFIG_ENV, name).toContain(name);
    });

    it('builds a valid configuration from its environment, on the port it publishes', () => {
      const config = buildConfig({}, env, 'docker-compose.yml earshot environment');
      expect(containerPortsOf(service('earshot'))).toEqual([config.server.port]);
      expect(config.server.host).toBe('0.0.0.0');
      expect(config.privacy.hashSalt).toBeTruthy();
      // The salt is the operator's, with a default for a laptop only.
      expect(String(environmentOf(rawService('earshot')).EARSHOT_HASH_SALT)).toMatch(
        /^\$\{EARSHOT_HASH_SALT:-.+\}$/,
      );
    });

    it('reaches the postgres service with its user, password and database', () => {
      const url = new URL(String(buildConfig({}, env).store.url));
      const pg = environmentOf(service('postgres'));
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe('postgres');
      expect(Number(url.port || 5432)).toBe(5432);
      expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(asMapping(asMapping(service('earshot').depends_on).postgres).condition).toBe('service_healthy');
    });

    it('checks health on a route the server has', () => {
      const test = asArray(asMapping(service('earshot').healthcheck).test).join(' ');
      const [, path] = /:\d+(\/[a-z]+)/.exec(test) ?? [];
      expect(path).toBeDefined();
      expect(hasRoute(path!), path).toBe(true);
    });
  });

  describe('postgres', () => {
    it('keeps its data in a named volume and checks readiness with pg_isready', () => {
      expect(mountsOf(service('postgres'))).toContainEqual({
        source: expect.any(String),
        target: '/var/lib/postgresql/data',
        bind: false,
      });
      const test = asArray(asMapping(service('postgres').healthcheck).test).join(' ');
      expect(test).toContain('pg_isready');
      const pg = environmentOf(service('postgres'));
      for (const key of ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'])
        expect(pg[key], key).toBeTruthy();
    });
  });

  describe('prometheus', () => {
    const configPath = flagOf(service('prometheus'), '--config.file') ?? '/etc/prometheus/prometheus.yml';
    const hostConfig = hostPathOf('prometheus', configPath);
    const prom = asMapping(parseYaml(readFileSync(hostConfig, 'utf8')));
    const alertsDir = join(root, 'alerts');

    it('reads deploy/prometheus.yml, with the lifecycle API on', () => {
      expect(relative(root, hostConfig)).toBe(join('deploy', 'prometheus.yml'));
      expect(asArray(service('prometheus').command)).toContain('--web.enable-lifecycle');
    });

    it('scrapes earshot by service name and container port, every 15s, on a route it has', () => {
      const jobs = asArray(prom.scrape_configs).map(asMapping);
      const job = jobs.find((j) => j.job_name === 'earshot');
      expect(job).toBeDefined();
      expect(job!.scrape_interval ?? asMapping(prom.global).scrape_interval).toBe('15s');
      const targets = asArray(job!.static_configs).flatMap((s) => asArray(asMapping(s).targets).map(String));
      expect(targets).toEqual([`earshot:${EARSHOT_PORT}`]);
      for (const t of targets) expectServiceTarget(t, 'earshot');
      expect(hasRoute(String(job!.metrics_path ?? '/metrics'))).toBe(true);
    });

    it('sends alerts to the alertmanager service', () => {
      const ams = asArray(asMapping(prom.alerting).alertmanagers).map(asMapping);
      const targets = ams.flatMap((a) =>
        asArray(a.static_configs).flatMap((s) => asArray(asMapping(s).targets).map(String)),
      );
      expect(targets.length).toBeGreaterThan(0);
      for (const t of targets) expectServiceTarget(t, 'alertmanager');
    });

    it('loads the rule files of alerts/ through its mount, and every rule file there', () => {
      const globs = asArray(prom.rule_files).map(String);
      expect(globs).toEqual([`${targetOf('prometheus', 'alerts')}/*.rules.yml`]);
      const pattern = globToRegExp(posix.basename(globs[0]!));
      const files = existsSync(alertsDir) ? readdirSync(alertsDir) : [];
      const loaded = files.filter((f) => pattern.test(f));
      expect(loaded.length, 'alerts/*.rules.yml').toBeGreaterThan(0);
      // A rule group file the glob misses would be silently left out of Prometheus.
      for (const f of files.filter((x) => /\.ya?ml$/.test(x))) {
        const doc = asMapping(parseYaml(readFileSync(join(alertsDir, f), 'utf8')));
        if ('groups' in doc) expect(loaded, `alerts/${f} holds rule groups`).toContain(f);
      }
    });

    it('passes promtool check config, with the rule files it loads', () => {
      const { promtool } = prometheusBinaries();
      const dir = mkdtempSync(join(tmpdir(), 'earshot-prom-'));
      try {
        const local = { ...prom, rule_files: [join(alertsDir, '*.rules.yml')] };
        writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(local));
        const out = execFileSync(promtool, ['check', 'config', join(dir, 'prometheus.yml')], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        expect(out).toContain('SUCCESS');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('alertmanager', () => {
    const configPath =
      flagOf(service('alertmanager'), '--config.file') ?? '/etc/alertmanager/alertmanager.yml';
    const hostConfig = hostPathOf('alertmanager', configPath);
    const am = asMapping(parseYaml(readFileSync(hostConfig, 'utf8')));
    const route = asMapping(am.route);
    const receivers = asArray(am.receivers).map(asMapping);
    const receiverNames = receivers.map((r) => String(r.name));
    const children = asArray(route.routes).map(asMapping);
    const matcher = (m: string) => /^\s*(\w+)\s*(=~|!~|!=|=)\s*"?([^"]*)"?\s*$/.exec(m)?.slice(1) ?? [];
    /** The receiver an alert with these labels goes to (first matching child, equality matchers). */
    const receiverFor = (labels: Record<string, string>): string => {
      const child = children.find((r) =>
        asArray(r.matchers).every((m) => {
          const [k, op, v] = matcher(String(m));
          return op === '=' && labels[k!] === v;
        }),
      );
      return String(child?.receiver ?? route.receiver);
    };
    const seconds = (d: unknown): number => {
      const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
      return [...String(d).matchAll(/(\d+)([smhd])/g)].reduce((t, [, n, u]) => t + Number(n) * units[u!]!, 0);
    };

    it('reads deploy/alertmanager.yml', () => {
      expect(relative(root, hostConfig)).toBe(join('deploy', 'alertmanager.yml'));
    });

    it('routes only to receivers it defines, each with somewhere to send', () => {
      const walk = (r: Mapping): string[] => [
        ...(r.receiver ? [String(r.receiver)] : []),
        ...asArray(r.routes).flatMap((c) => walk(asMapping(c))),
      ];
      expect(route.receiver).toBeDefined();
      for (const name of walk(route)) expect(receiverNames, name).toContain(name);
      for (const r of receivers) {
        expect(
          Object.keys(r).some((k) => k.endsWith('_configs')),
          String(r.name),
        ).toBe(true);
      }
      for (const m of asArray(route.matchers).concat(children.flatMap((c) => asArray(c.matchers)))) {
        expect(matcher(String(m)), String(m)).toHaveLength(3);
      }
    });

    it('pages on critical, files tickets on warning, grouped by alertname and contract', () => {
      const pager = receiverFor({ severity: 'critical' });
      const tickets = receiverFor({ severity: 'warning' });
      expect(pager).not.toBe(tickets);
      expect(asArray(route.group_by)).toEqual(expect.arrayContaining(['alertname', 'contract']));
      const repeat = (severity: string) =>
        seconds(
          children.find((c) => receiverFor({ severity }) === c.receiver)?.repeat_interval ??
            route.repeat_interval,
        );
      expect(repeat('critical')).toBeGreaterThanOrEqual(seconds(route.group_interval));
      expect(repeat('critical')).toBeLessThanOrEqual(repeat('warning'));
      expect(repeat('warning')).toBeLessThanOrEqual(24 * 3600);
    });

    it('sends webhooks to systems outside the stack', () => {
      const urls = receivers.flatMap((r) => asArray(r.webhook_configs).map((w) => String(asMapping(w).url)));
      expect(urls.length).toBeGreaterThan(0);
      for (const u of urls) {
        const url = new URL(u);
        expect(url.protocol).toMatch(/^https?:$/);
        expect(serviceNames, `${u} points back into the stack`).not.toContain(url.hostname);
        expect(['localhost', '127.0.0.1'], u).not.toContain(url.hostname);
      }
    });

    /** Alertmanager's matcher: a label the alert lacks reads as "", regular expressions are anchored. */
    const matches = (labels: Record<string, string>, m: string): boolean => {
      const [k, op, v] = matcher(m);
      const value = labels[k!] ?? '';
      if (op === '=') return value === v;
      if (op === '!=') return value !== v;
      const re = new RegExp(`^(?:${v})$`);
      return op === '=~' ? re.test(value) : !re.test(value);
    };
    const inhibitRules = asArray(am.inhibit_rules).map(asMapping);
    /** Whether a firing `source` holds back `target` (Alertmanager's inhibitor: absent labels compare equal). */
    const inhibits = (source: Record<string, string>, target: Record<string, string>): boolean =>
      inhibitRules.some(
        (r) =>
          asArray(r.source_matchers).every((m) => matches(source, String(m))) &&
          asArray(r.target_matchers).every((m) => matches(target, String(m))) &&
          // A target that matches the source side too is not held back by alerts that match the target side.
          !(
            asArray(r.source_matchers).every((m) => matches(target, String(m))) &&
            asArray(r.target_matchers).every((m) => matches(source, String(m)))
          ) &&
          asArray(r.equal).every((l) => (source[String(l)] ?? '') === (target[String(l)] ?? '')),
      );

    /** Each alert rule of alerts/ with its static labels and the label sets its promtool tests see it fire with. */
    const alertRules = new Map<
      string,
      { labels: Record<string, string>; firing: Array<Record<string, string>> }
    >();
    for (const f of readdirSync(join(root, 'alerts')).filter((x) => x.endsWith('.rules.yml'))) {
      const doc = asMapping(parseYaml(read(join('alerts', f))));
      for (const rule of asArray(doc.groups).flatMap((g) => asArray(asMapping(g).rules).map(asMapping))) {
        if (rule.alert === undefined) continue;
        const labels = Object.fromEntries(
          Object.entries(asMapping(rule.labels ?? {})).map(([k, v]) => [k, String(v)]),
        );
        alertRules.set(String(rule.alert), { labels, firing: [] });
      }
    }
    const testsDir = join(root, 'alerts', 'tests');
    for (const f of readdirSync(testsDir).filter((x) => x.endsWith('.test.yml'))) {
      const doc = asMapping(parseYaml(readFileSync(join(testsDir, f), 'utf8')));
      for (const t of asArray(doc.tests).map(asMapping)) {
        for (const c of asArray(t.alert_rule_test).map(asMapping)) {
          for (const e of asArray(c.exp_alerts ?? []).map(asMapping)) {
            const labels = Object.fromEntries(
              Object.entries(asMapping(e.exp_labels ?? {})).map(([k, v]) => [k, String(v)]),
            );
            alertRules.get(String(c.alertname))?.firing.push({ ...labels, alertname: String(c.alertname) });
          }
        }
      }
    }
    /** Each warning and the critical alert it leads to: the critical one holds the warning back. */
    const PAIRS: Array<[warning: string, critical: string]> = [
      ['EarshotContractViolationRatioHigh', 'EarshotContractViolationRatioCritical'],
      ['EarshotStoreWriteLagHigh', 'EarshotStoreWriteLagCritical'],
      ['EarshotEventLoopLagHigh', 'EarshotEventLoopLagCritical'],
      ['EarshotStoreQueueGrowing', 'EarshotStoreQueueNearFull'],
      ['EarshotEventTypeSilent', 'EarshotNoEvents'],
      ['EarshotIngestRequestsFailing', 'EarshotIngestRequestsFailingCritical'],
    ];
    const firingOf = (name: string) => {
      const rule = alertRules.get(name);
      expect(rule, `${name} is an alert rule of alerts/`).toBeDefined();
      expect(rule!.firing.length, `${name} fires in a promtool test`).toBeGreaterThan(0);
      return rule!.firing;
    };

    it('pairs each warning with its critical alert by a family label, and only those', () => {
      const paired = new Set(PAIRS.flat());
      for (const [warning, critical] of PAIRS) {
        const w = alertRules.get(warning)?.labels;
        const c = alertRules.get(critical)?.labels;
        expect(w?.severity, warning).toBe('warning');
        expect(c?.severity, critical).toBe('critical');
        expect(w?.family, `${warning} has a family`).toMatch(/^[a-z_]+$/);
        expect(c?.family, `${critical} shares ${warning}'s family`).toBe(w?.family);
      }
      const families = PAIRS.map(([w]) => alertRules.get(w)?.labels.family);
      expect(new Set(families).size, 'one family per pair').toBe(PAIRS.length);
      for (const [name, rule] of alertRules) {
        if (!paired.has(name)) expect(rule.labels.family, `${name} is in no pair`).toBeUndefined();
      }
    });

    it('holds back a warning while the critical alert of its family fires, as the alerts fire in the tests', () => {
      for (const [warning, critical] of PAIRS) {
        const sources = firingOf(critical);
        for (const target of firingOf(warning)) {
          const held = sources.some((source) => inhibits(source, target));
          // A critical alert fires for one contract or instance: the warnings of the others go on.
          const same = sources.some((source) =>
            ['contract', 'instance'].every((l) => !source[l] || source[l] === target[l]),
          );
          expect(held, `${critical} holds back ${JSON.stringify(target)}`).toBe(same);
        }
      }
      // The tests cover both: a warning held back and one let through.
      const all = PAIRS.flatMap(([w, c]) => firingOf(w).map((t) => firingOf(c).some((s) => inhibits(s, t))));
      expect(all).toContain(true);
      expect(all).toContain(false);
    });

    it('holds back nothing across families, and no alert without one', () => {
      const critical = [...alertRules.values()].filter((r) => r.labels.severity === 'critical');
      const warning = [...alertRules.entries()].filter(([, r]) => r.labels.severity === 'warning');
      expect(warning.some(([, r]) => r.labels.family === undefined)).toBe(true);
      for (const [name, w] of warning) {
        for (const target of w.firing) {
          for (const source of critical.flatMap((c) => c.firing)) {
            // Same instance and contract as the target, so only the family tells them apart.
            const near: Record<string, string> = {
              ...source,
              instance: target.instance ?? '',
              contract: target.contract ?? '',
            };
            for (const s of [source, near]) {
              if (inhibits(s, target)) {
                expect(w.labels.family, `${s.alertname} holds back ${name}`).toBeDefined();
                expect(s.family, `${s.alertname} holds back ${name}`).toBe(w.labels.family);
              }
            }
          }
        }
      }
      // Without the family matcher on the target, an absent family would count as equal.
      expect(inhibits({ severity: 'critical', alertname: 'EarshotPiiLeak' }, { severity: 'warning' })).toBe(
        false,
      );
    });

    it('has an explicit route for the severity of every alert rule in alerts/', () => {
      const routed = children.flatMap((c) =>
        asArray(c.matchers).flatMap((m) => {
          const [k, op, v] = matcher(String(m));
          return k === 'severity' && op === '=' ? [v] : [];
        }),
      );
      expect(routed).toEqual(expect.arrayContaining(['critical', 'warning']));
      const files = readdirSync(join(root, 'alerts')).filter((f) => f.endsWith('.rules.yml'));
      for (const f of files) {
        const doc = asMapping(parseYaml(read(join('alerts', f))));
        for (const rule of asArray(doc.groups).flatMap((g) => asArray(asMapping(g).rules).map(asMapping))) {
          if (rule.alert === undefined) continue;
          const severity = String(asMapping(rule.labels).severity);
          expect(routed, `alerts/${f}: ${rule.alert} severity`).toContain(severity);
        }
      }
    });
  });

  describe('grafana', () => {
    const env = environmentOf(service('grafana'));
    const provisioningTarget = () => targetOf('grafana', 'grafana/provisioning');

    it('mounts the provisioning where Grafana reads it', () => {
      expect(provisioningTarget()).toBe(env.GF_PATHS_PROVISIONING ?? '/etc/grafana/provisioning');
    });

    it('points the dashboard providers at the mounted dashboards', () => {
      const dashboardsTarget = targetOf('grafana', 'grafana/dashboards');
      const dir = join(root, 'grafana', 'provisioning', 'dashboards');
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
      for (const f of files) {
        const doc = asMapping(parseYaml(readFileSync(join(dir, f), 'utf8')));
        for (const p of asArray(doc.providers).map(asMapping)) {
          const path = String(asMapping(p.options).path);
          const rel = posix.relative(dashboardsTarget, path);
          expect(rel.startsWith('..') || posix.isAbsolute(rel), `${f}: options.path ${path}`).toBe(false);
          expect(existsSync(hostPathOf('grafana', path)), path).toBe(true);
        }
      }
    });

    it('points provisioned data sources at services of the stack, on their container ports', () => {
      const dir = join(root, 'grafana', 'provisioning', 'datasources');
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
      for (const f of files) {
        const doc = asMapping(parseYaml(readFileSync(join(dir, f), 'utf8')));
        for (const ds of asArray(doc.datasources).map(asMapping)) {
          if (ds.url === undefined) continue;
          const url = new URL(String(ds.url));
          if (ds.type === 'prometheus') expect(url.hostname, `${f}: ${ds.name}`).toBe('prometheus');
          if (serviceNames.includes(url.hostname)) expectServiceTarget(url.host, url.hostname);
        }
      }
    });

    it('asks for a login: no anonymous viewers, admin password from the environment', () => {
      expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
      expect(String(environmentOf(rawService('grafana')).GF_SECURITY_ADMIN_PASSWORD)).toMatch(
        /^\$\{GRAFANA_ADMIN_PASSWORD:-.+\}$/,
      );
    });
  });
});

describe('Dockerfile', () => {
  const froms = stages.map((s) => s[0]!.args.split(/\s+/));

  it('builds on a pinned Node 20 image, the same in every stage', () => {
    const names = froms.map((f) => (f[1]?.toUpperCase() === 'AS' ? f[2] : undefined));
    for (const [i, f] of froms.entries()) {
      const image = f.find((x) => !x.startsWith('--'))!;
      if (names.slice(0, i).includes(image)) continue;
      expect(isPinned(image), image).toBe(true);
      expect(image).toMatch(/^node:20\.\d+/);
    }
    expect(new Set(froms.map((f) => f[0])).size).toBe(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });

  it('runs the file the build produces from monitor/cli/main.ts, as the package bin', () => {
    const cmd = execForm(all(finalStage, 'CMD').at(-1) ?? '[]');
    expect(cmd[0]).toBe('node');
    expect(cmd[2]).toBe('serve');
    const built = cmd[1]!;
    const tsconfig = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const base = JSON.parse(read('tsconfig.json')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(base.compilerOptions.outDir).toBe('dist');
    expect(base.compilerOptions.rootDir).toBe('.');
    const source = built.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(source).toBe('monitor/cli/main.ts');
    expect(existsSync(join(root, source))).toBe(true);
    expect(tsconfig.include).toContain(source.split('/')[0]);
    const pkg = JSON.parse(read('package.json')) as {
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(Object.values(pkg.bin)).toContain(built);
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    expect(all(stages[0]!, 'RUN')).toContain('npm run build');
  });

  it('copies what the build needs into the build stage', () => {
    const include = (JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include;
    const copied = all(stages[0]!, 'COPY').flatMap((c) => c.split(/\s+/).slice(0, -1));
    for (const path of ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json', ...include]) {
      expect(copied, path).toContain(path);
    }
  });

  it('ships production dependencies and what package.json "files" lists, as the node user', () => {
    const runs = all(finalStage, 'RUN').join(' && ');
    expect(runs).toMatch(/npm ci\b[^&]*--omit=dev/);
    // "prepare" builds, which needs the dev dependencies.
    expect(runs).toMatch(/npm ci\b[^&]*--ignore-scripts/);
    const copies = all(finalStage, 'COPY').map((c) => c.split(/\s+/));
    const destinations = copies.map((c) => c.at(-1)!.replace(/^\.\//, '').replace(/\/$/, ''));
    const pkg = JSON.parse(read('package.json')) as { files: string[] };
    // package.json and contracts/ are how the package root is found; migrations are read at start.
    for (const path of pkg.files) expect(destinations, path).toContain(path);
    expect(copies.some((c) => c.includes('package.json'))).toBe(true);
    expect(all(finalStage, 'USER').at(-1)).toBe('node');
  });

  it('copies from the context only what exists and .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const required of [
      'node_modules',
      'dist',
      '.tools',
      '.earshot-data',
      'scratch',
      '.git',
      'coverage',
    ]) {
      expect(ignored, required).toContain(required);
    }
    for (const stage of stages) {
      for (const copy of all(stage, 'COPY').filter((c) => !c.startsWith('--from'))) {
        for (const src of copy.split(/\s+/).slice(0, -1)) {
          expect(existsSync(join(root, src)), src).toBe(true);
          expect(ignored, src).not.toContain(src.split('/')[0]);
        }
      }
    }
  });

  it('exposes the configured port, sets only variables the configuration reads, checks /healthz', () => {
    const config = buildConfig({});
    expect(all(finalStage, 'EXPOSE')).toEqual([String(config.server.port)]);
    expect(EARSHOT_PORT).toBe(config.server.port);
    for (const env of all(finalStage, 'ENV')) {
      const name = env.split(/[=\s]/)[0]!;
      expect(CONFIG_ENV, name).toContain(name);
    }
    const hc = all(finalStage, 'HEALTHCHECK');
    expect(hc).toHaveLength(1);
    const cmd = execForm(hc[0]!);
    expect(cmd[0]).toBe('node');
    expect(cmd.join(' ')).toContain('/healthz');
    expect(hasRoute('/healthz')).toBe(true);
  });
});

// The helper the checks above rely on reads defaults the way Compose does.
describe('interpolate (compose variable substitution)', () => {
  it('uses the value, else the default; $$ is a dollar', () => {
    // biome-ignore-start lint/suspicious/noTemplateCurlyInString: Compose's ${...} syntax, not a template
    expect(interpolate('a ${X:-d} ${Y-e} $$Z', {})).toBe('a d e $Z');
    expect(interpolate('${X:-d}', { X: '' })).toBe('d');
    expect(interpolate('${X-d}', { X: '' })).toBe('');
    expect(interpolate('${X:-d}/$X', { X: 'v' })).toBe('v/v');
    expect(() => interpolate('${X:?set X}', {})).toThrow('set X');
    // biome-ignore-end lint/suspicious/noTemplateCurlyInString: Compose's ${...} syntax, not a template
  });
});
