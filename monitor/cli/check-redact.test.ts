import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from './check-command.js';
import { testIo } from './test-io.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-redact-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function message(id: number, text: string): string {
  return JSON.stringify({
    event_id: `0b6c3d2e-4f5a-4b6c-8d7e-${String(id).padStart(12, '0')}`,
    event_type: 'conversation.message',
    occurred_at: '2026-03-01T10:00:00Z',
    user_id: 'u_1',
    conversation_id: 'c_1',
    channel: 'chat',
    turn: 1,
    speaker: 'customer',
    text,
    language: 'en',
  });
}

const INPUT = [
  message(1, 'my card is 4111 1111 1111 1111'),
  'not json at all: jane.doe@example.com',
  message(2, 'write to jane.doe@example.com please'),
  message(3, 'thanks, that is all'),
].join('\n');

describe('earshot check --redact', () => {
  it('writes every accepted event redacted to the file, leaves out lines that are not events', async () => {
    const input = join(dir, 'in.ndjson');
    const output = join(dir, 'out.ndjson');
    await writeFile(input, `${INPUT}\n`);
    const io = testIo();
    expect(await runCheck([input, '--redact', output], io)).toBe(1);
    expect(io.out()).toContain('Checked 4 events');
    const lines = (await readFile(output, 'utf8')).trim().split('\n');
    const texts = lines.map((l) => (JSON.parse(l) as { text: string; user_id: string }).text);
    // conversation.message masks its free text per entity; cards keep their last four.
    expect(texts).toEqual([
      'my card is **** **** **** 1111',
      'write to ****.***@*******.*** please',
      'thanks, that is all',
    ]);
    const text = await readFile(output, 'utf8');
    expect(text).not.toContain('jane.doe');
    expect(text).not.toContain('u_1"');
  });

  it('writes to stdout with -, and the report then goes to stderr', async () => {
    const io = testIo({ stdin: `${INPUT}\n` });
    expect(await runCheck(['-', '--redact', '-', '--format', 'json'], io)).toBe(1);
    const lines = io.out().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(io.out()).not.toContain('4111 1111');
    expect(JSON.parse(io.err())).toMatchObject({ events: 4 });
  });

  it('refuses an output it cannot write with exit 2', async () => {
    const input = join(dir, 'in2.ndjson');
    await writeFile(input, `${INPUT}\n`);
    const io = testIo();
    await expect(runCheck([input, '--redact', join(dir, 'no', 'such', 'dir.ndjson')], io)).rejects.toThrow(
      /cannot write/,
    );
  });
});
