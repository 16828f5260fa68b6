import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrafficGenerator } from '../generator/generator.js';
import { runCli } from './run-cli.js';
import { testIo } from './test-io.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-infer-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('earshot contracts infer', () => {
  it('drafts contracts from sample traffic into --out, which contracts check then reads', async () => {
    const events = new TrafficGenerator({ seed: 2, start: new Date('2024-05-01T00:00:00Z') }).batch(400);
    const file = join(dir, 'sample.ndjson');
    await writeFile(file, events.map((e) => `${e.raw}\n`).join(''));
    const out = join(dir, 'drafts');
    const io = testIo();
    expect(await runCli(['contracts', 'infer', file, '--out', out, '--version', '1.0.0'], io)).toBe(0);
    expect(io.out()).toContain(join(out, 'conversation.message', '1.0.0.yaml'));
    const draft = await readFile(join(out, 'conversation.message', '1.0.0.yaml'), 'utf8');
    expect(draft).toMatch(/^status: draft$/m);
    const check = testIo();
    expect(await runCli(['contracts', 'check', '--dir', out], check)).toBe(0);
  });

  it('exits 2 without a file or for a missing one', async () => {
    let io = testIo();
    expect(await runCli(['contracts', 'infer'], io)).toBe(2);
    expect(io.err()).toContain('needs a FILE');
    io = testIo();
    expect(await runCli(['contracts', 'infer', join(dir, 'absent.ndjson')], io)).toBe(2);
    expect(io.err()).toContain('no such file');
  });
});
