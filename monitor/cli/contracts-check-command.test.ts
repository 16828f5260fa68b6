import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../config/package-root.js';
import { runCli } from './run-cli.js';
import { testIo } from './test-io.js';

const SHIPPED = join(packageRoot(), 'contracts');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-contracts-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** conversation.message 1.1.0 as shipped, plus a 2.0.0 that declares backward compatibility but makes turn a string. */
async function breakingV2(): Promise<void> {
  const folder = join(dir, 'conversation.message');
  await mkdir(folder);
  const v1 = await readFile(join(SHIPPED, 'conversation.message', '1.1.0.yaml'), 'utf8');
  await writeFile(join(folder, '1.1.0.yaml'), v1);
  const v2 = v1
    .replace(/^version: 1\.1\.0$/m, 'version: 2.0.0')
    .replace(/^ {4}turn: \{ type: integer, minimum: 1 \}$/m, '    turn: { type: string }');
  expect(v2).toContain('turn: { type: string }');
  await writeFile(join(folder, '2.0.0.yaml'), v2);
}

describe('earshot contracts check', () => {
  it('passes on the shipped contracts, showing changes and bumps per version', async () => {
    const io = testIo();
    expect(await runCli(['contracts', 'check', '--dir', SHIPPED], io)).toBe(0);
    const out = io.out();
    expect(out).toContain('conversation.message');
    expect(out).toMatch(/1\.1\.0\s+active\s+backward\s+ok\s+bump minor from 1\.0\.0 \(suggested \w+/);
    expect(out).toMatch(/against 1\.0\.0: backward yes/);
    expect(out).toMatch(/^PASS: \d+ versions of \d+ contracts$/m);
  });

  it('exits 1 with the pointer and reason when a version breaks its declared compatibility', async () => {
    await breakingV2();
    const io = testIo();
    expect(await runCli(['contracts', 'check', '--dir', dir], io)).toBe(1);
    const out = io.out();
    expect(out).toMatch(/2\.0\.0\s+active\s+backward\s+BREAKS its declared compatibility/);
    expect(out).toMatch(/\/turn\s+type_changed: .*\[backward no, forward no\]/);
    expect(out).toMatch(/violation against 1\.1\.0: \/turn .*breaks backward compatibility/);
    expect(out).toMatch(/FAIL: 1 version breaking the declared compatibility/);
  });

  it('reports every bad file with its pointer, not only the first', async () => {
    await mkdir(join(dir, 'bad.one'));
    await writeFile(
      join(dir, 'bad.one', '1.0.0.yaml'),
      'contract: bad.one\nversion: 1.0.0\nstatus: nope\nschema: {type: object}\n',
    );
    await writeFile(
      join(dir, 'bad.one', '1.0.1.yaml'),
      'contract: bad.one\nversion: 1.0.1\nstatus: active\nowner: a@example.com\nschema: {type: object, properties: {a: {type: strin}}}\n',
    );
    await writeFile(join(dir, 'bad.one', '1.0.2.yaml'), 'x: [\n');
    await writeFile(
      join(dir, 'bad.one', '1.0.3.yaml'),
      'contract: other.name\nversion: 1.0.3\nstatus: active\nowner: a@example.com\nschema: {type: object}\n',
    );
    const io = testIo();
    expect(await runCli(['contracts', 'check', '--dir', dir], io)).toBe(1);
    const out = io.out();
    expect(out).toContain('1.0.0.yaml: / missing required key "owner"');
    expect(out).toContain('1.0.0.yaml: /status must be one of');
    expect(out).toContain('1.0.1.yaml: /schema ');
    expect(out).toMatch(/1\.0\.2\.yaml: \/ .*line 2/);
    expect(out).toContain('1.0.3.yaml: /contract is "other.name" but the folder is "bad.one"');
    expect(out).toContain('FAIL: 4 versions invalid');
  });

  it('answers JSON with the report of each version', async () => {
    await breakingV2();
    const io = testIo();
    expect(await runCli(['contracts', 'check', '--dir', dir, '--format', 'json'], io)).toBe(1);
    const result = JSON.parse(io.out());
    expect(result.passed).toBe(false);
    const [contract] = result.contracts;
    expect(contract.name).toBe('conversation.message');
    const v2 = contract.versions.find((v: { version: string }) => v.version === '2.0.0');
    expect(v2).toMatchObject({
      ok: false,
      report: { mode: 'backward', compatible: false, suggestedBump: 'major' },
    });
    expect(v2.report.violations[0]).toMatchObject({ version: '1.1.0', pointer: '/turn' });
  });

  it('exits 2 for a folder that does not exist or an unknown subcommand', async () => {
    let io = testIo();
    expect(await runCli(['contracts', 'check', '--dir', join(dir, 'absent')], io)).toBe(2);
    expect(io.err()).toContain('no such folder');
    io = testIo();
    expect(await runCli(['contracts', 'lint'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "contracts lint"');
  });

  it('finds the contracts through EARSHOT_CONTRACTS_DIR', async () => {
    await cp(join(SHIPPED, 'intent.label'), join(dir, 'intent.label'), { recursive: true });
    const io = testIo({ env: { EARSHOT_CONTRACTS_DIR: dir } });
    expect(await runCli(['contracts', 'check'], io)).toBe(0);
    expect(io.out()).toContain(`Contracts in ${dir}`);
    expect(io.out()).not.toContain('conversation.message');
  });
});
