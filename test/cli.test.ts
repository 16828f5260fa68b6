import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../monitor/config/package-root.js';
import { EXPECTED_FINDING } from '../monitor/generator/faults.js';
import { FAULT_KINDS } from '../monitor/generator/generator.js';

/** End to end through the built CLI, as a user runs it: `earshot ...` is `node dist/monitor/cli/main.js ...`. */

const ROOT = packageRoot();
const MAIN = join(ROOT, 'dist', 'monitor', 'cli', 'main.js');
const START = '2024-05-01T00:00:00Z';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without settings from the machine running the tests: each test names its own. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('EARSHOT_') && k !== 'DATABASE_URL' && k !== 'PORT') env[k] = v;
  }
  return { ...env, ...extra };
}

function earshot(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
): ChildProcess & {
  done: Promise<Run>;
} {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: cleanEnv(opts.env) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (opts.input !== undefined) child.stdin.end(opts.input);
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { done });
}

/** Resolves with the first match of `pattern` in the child's stdout. */
function waitFor(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer | string) => {
      seen += String(d);
      const m = seen.match(pattern);
      if (m) {
        child.stdout?.off('data', onData);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.on('close', () => reject(new Error(`exited before printing ${pattern}:\n${seen}`)));
  });
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-cli-'));
  // The tests run the bin as a user would, built from the sources under test (test/build-cli.global.ts).
  expect(existsSync(MAIN), `${MAIN} was not built`).toBe(true);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('earshot (built CLI)', () => {
  it('is an executable node script that prints its version', async () => {
    expect((await readFile(MAIN, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    const run = await earshot(['--version']).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('generate | check: exits 1 and reports every injected fault kind a detector can see', async () => {
    const generated = await earshot([
      'generate',
      '--count',
      '4000',
      '--seed',
      '11',
      '--start',
      START,
      '--fault',
      'all=0.02',
    ]).done;
    expect(generated.code).toBe(0);
    const file = join(dir, 'faulty.ndjson');
    await writeFile(file, generated.stdout);

    const text = await earshot(['check', file]).done;
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Checked 4,000 events');
    expect(text.stdout).toMatch(/^FAIL: /m);

    const json = await earshot(['check', '-', '--format', 'json'], { input: generated.stdout }).done;
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { events: number; by_kind: Record<string, number> };
    expect(report.events).toBe(4000);
    // The per-line check of each fault is in monitor/cli/check-command.test.ts.
    for (const f of FAULT_KINDS) expect(report.by_kind[EXPECTED_FINDING[f]] ?? 0, f).toBeGreaterThan(0);
  });

  it('check: exits 0 on clean traffic and 2 on a missing file', async () => {
    const clean = await earshot(['generate', '--count', '300', '--start', START]).done;
    const ok = await earshot(['check', '-'], { input: clean.stdout }).done;
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('PASS');
    const missing = await earshot(['check', join(dir, 'absent.ndjson')]).done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('contracts check passes on the shipped contracts', async () => {
    const run = await earshot(['contracts', 'check']).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASS: /m);
  });

  it('demo --duration stops by itself, exits 0 and prints a summary', async () => {
    const run = await earshot(['demo', '--duration', '3', '--port', '0', '--rate', '1000'], {
      env: { EARSHOT_DATA_DIR: join(dir, 'demo-data') },
    }).done;
    expect(run.stderr).not.toMatch(/"level":50/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/earshot demo on http:\/\/localhost:\d+/);
    expect(run.stdout).toMatch(/events\s+[\d,]+ checked/);
    expect(run.stdout).toMatch(/outcomes\s+ok [\d,]+/);
    expect(run.stdout).toMatch(/findings\s+[\d,]+ by kind:\n\s+\w+\s+[\d,]+/);
    // The demo runs with API keys, one per role, and prints them.
    for (const role of ['producer', 'operator', 'auditor']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${role}\\s+esk_[A-Za-z0-9_-]{43}$`, 'm'));
    }
  }, 60_000);

  it('keys create prints a new key and the configuration line with its hash', async () => {
    const run = await earshot(['keys', 'create', '--name', 'checkout', '--roles', 'producer,operator']).done;
    expect(run.code).toBe(0);
    const key = /^key: {2}(esk_\S+)$/m.exec(run.stdout)?.[1];
    expect(key).toBeDefined();
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(key!).digest('hex');
    expect(run.stdout).toContain(
      `- { name: "checkout", hash: "sha256:${hash}", roles: [producer, operator] }`,
    );
    const bad = await earshot(['keys', 'create', '--name', 'x', '--roles', 'admin']).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--roles takes producer, operator, auditor \(not admin\)/);
  }, 30_000);

  it('serve answers /healthz, then drains and exits 0 on SIGTERM', async () => {
    const child = earshot(['serve'], {
      env: { EARSHOT_PORT: '0', EARSHOT_DATA_DIR: join(dir, 'serve-data') },
    });
    try {
      const [, port] = await waitFor(child, /earshot listening on http:\/\/localhost:(\d+)/);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
      child.kill('SIGTERM');
      const run = await child.done;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('"reason":"SIGTERM"');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
