import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Document, parseAllDocuments } from 'yaml';
import { createAjv } from '../registry/ajv.js';
import { loadContractsDir } from '../registry/load-contracts.js';
import { parseContractText, toContract } from '../registry/parse-contract.js';
import { runInfer } from './infer-command.js';

const EVENTS = [
  {
    event_id: 'a1b2c3d4-0001-4a5b-8c9d-0e1f2a3b4c5d',
    event_type: 'conversation.message',
    occurred_at: '2024-06-10T10:00:00Z',
    conversation_id: 'c-77',
    channel: 'chat',
    text: 'My email is maria.lopez@example.com, please call back',
    intent: 'callback',
    sentiment: 0.1,
  },
  {
    event_id: 'a1b2c3d4-0002-4a5b-8c9d-0e1f2a3b4c5d',
    event_type: 'conversation.message',
    occurred_at: '2024-06-10T10:01:00Z',
    conversation_id: 'c-77',
    channel: 'chat',
    text: 'We will call you within the hour.',
    intent: 'callback',
    sentiment: null,
  },
  {
    event_id: 'a1b2c3d4-0003-4a5b-8c9d-0e1f2a3b4c5d',
    event_type: 'conversation.message',
    occurred_at: '2024-06-10T10:05:00Z',
    conversation_id: 'c-78',
    channel: 'chat',
    text: 'Where is my parcel?',
    intent: 'tracking',
    sentiment: -0.5,
  },
  {
    event_id: 'a1b2c3d4-0004-4a5b-8c9d-0e1f2a3b4c5d',
    event_type: 'conversation.message',
    occurred_at: '2024-06-10T10:06:00Z',
    conversation_id: 'c-78',
    channel: 'chat',
    text: 'It arrives tomorrow.',
    intent: 'tracking',
    sentiment: 0.3,
  },
  {
    event_id: 'a1b2c3d4-0005-4a5b-8c9d-0e1f2a3b4c5d',
    event_type: 'conversation.message',
    occurred_at: '2024-06-10T10:07:00Z',
    conversation_id: 'c-78',
    channel: 'chat',
    text: 'Thanks',
    intent: 'tracking',
    sentiment: 0.9,
  },
  {
    event_id: 'a1b2c3d4-0006-4a5b-8c9d-0e1f2a3b4c5d',
    event_type: 'conversation.message',
    occurred_at: '2024-06-10T10:08:00Z',
    conversation_id: 'c-79',
    channel: 'chat',
    text: 'Call me back please',
    intent: 'callback',
    sentiment: null,
  },
];
const OUTCOME = {
  event_id: 'b0000000-0001-4a5b-8c9d-0e1f2a3b4c5d',
  event_type: 'conversation.outcome',
  conversation_id: 'c-77',
  resolved: true,
};
const SECRET_LINE = '{"text": "card 4111 1111 1111 1111 for bob@example.com"'; // truncated JSON

const ndjson = (lines: unknown[]) =>
  `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function io(stdin?: NodeJS.ReadableStream) {
  const stdout = sink();
  const stderr = sink();
  return { io: { stdout: stdout.stream, stderr: stderr.stream, stdin }, out: stdout.text, err: stderr.text };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-infer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runInfer', () => {
  it('prints a draft YAML contract that parses and accepts every sample', async () => {
    const file = join(dir, 'sample.ndjson');
    await writeFile(file, ndjson(EVENTS));
    const t = io();
    expect(await runInfer({ file }, t.io)).toBe(0);
    expect(t.out()).toMatch(/^# DRAFT contract inferred by `earshot contracts infer` from 6 sample events/);
    const contract = parseContractText(t.out());
    expect(contract).toMatchObject({ contract: 'conversation.message', version: '0.1.0', status: 'draft' });
    expect(contract.attributes['/text']).toEqual({ pii: 'free_text', redact: 'mask' });
    const validate = createAjv().compile(contract.schema);
    for (const e of EVENTS) expect(validate(e)).toBe(true);
    expect(t.err()).toBe('');
  });

  it('skips malformed lines and reports how many, never what they held', async () => {
    const file = join(dir, 'sample.ndjson');
    await writeFile(file, ndjson([EVENTS[0], SECRET_LINE, '', EVENTS[1], '[1,2]', ...EVENTS.slice(2)]));
    const t = io();
    expect(await runInfer({ file, version: '1.0.0' }, t.io)).toBe(0);
    expect(t.err()).toContain('skipped 2 malformed lines (not a JSON object; first at line 2)');
    expect(t.err()).not.toContain('4111');
    expect(t.err()).not.toContain('bob@example.com');
    expect(parseContractText(t.out()).version).toBe('1.0.0');
  });

  it('reads stdin for "-"', async () => {
    const t = io(Readable.from([ndjson(EVENTS.slice(0, 3)), ndjson(EVENTS.slice(3))]));
    expect(await runInfer({ file: '-' }, t.io)).toBe(0);
    expect(t.out()).toContain('from 6 sample events (stdin)');
  });

  it('prints one document per event type for mixed traffic', async () => {
    const file = join(dir, 'mixed.ndjson');
    await writeFile(file, ndjson([...EVENTS, OUTCOME, OUTCOME]));
    const t = io();
    expect(await runInfer({ file }, t.io)).toBe(0);
    const docs = parseAllDocuments(t.out());
    expect(docs).toHaveLength(2);
    const contracts = Array.from(docs as Document.Parsed[], (d) => toContract(d.toJS()));
    expect(contracts.map((c) => c.contract)).toEqual(['conversation.message', 'conversation.outcome']);
  });

  it('writes <out>/<event_type>/<version>.yaml that the contract loader accepts, and never overwrites', async () => {
    const file = join(dir, 'mixed.ndjson');
    await writeFile(file, ndjson([...EVENTS, OUTCOME]));
    const out = join(dir, 'contracts');
    const t = io();
    expect(await runInfer({ file, out }, t.io)).toBe(0);
    expect(t.out()).toContain(join(out, 'conversation.message', '0.1.0.yaml'));
    const loaded = await loadContractsDir(out);
    expect(loaded.map((l) => `${l.contract.contract}@${l.contract.version}`)).toEqual([
      'conversation.message@0.1.0',
      'conversation.outcome@0.1.0',
    ]);

    const before = await readFile(join(out, 'conversation.message', '0.1.0.yaml'), 'utf8');
    const again = io();
    expect(await runInfer({ file: join(dir, 'mixed.ndjson'), out }, again.io)).toBe(2);
    expect(again.err()).toContain('exists; not overwriting');
    expect(await readFile(join(out, 'conversation.message', '0.1.0.yaml'), 'utf8')).toBe(before);
  });

  it('names typeless events with --name, and says when --name goes unused', async () => {
    const file = join(dir, 'bare.ndjson');
    await writeFile(file, ndjson(EVENTS.map(({ event_type: _, ...rest }) => rest)));
    const t = io();
    expect(await runInfer({ file, name: 'support.chat' }, t.io)).toBe(0);
    expect(parseContractText(t.out()).contract).toBe('support.chat');

    const typed = join(dir, 'typed.ndjson');
    await writeFile(typed, ndjson(EVENTS));
    const u = io();
    expect(await runInfer({ file: typed, name: 'support.chat' }, u.io)).toBe(0);
    expect(u.err()).toContain('name "support.chat" not used');

    const v = io();
    expect(await runInfer({ file }, v.io)).toBe(2);
    expect(v.err()).toContain('events carry no event_type; give the contract a name');
  });

  it('exits 2 for a missing file, a directory, or no usable event', async () => {
    const missing = io();
    expect(await runInfer({ file: join(dir, 'nope.ndjson') }, missing.io)).toBe(2);
    expect(missing.err()).toContain('no such file');

    const folder = io();
    expect(await runInfer({ file: dir }, folder.io)).toBe(2);
    expect(folder.err()).toContain('not a file');

    const file = join(dir, 'junk.ndjson');
    await writeFile(file, ndjson([SECRET_LINE, '42', '']));
    const junk = io();
    expect(await runInfer({ file }, junk.io)).toBe(2);
    expect(junk.err()).toContain('no usable events');
    expect(junk.err()).not.toContain('4111');
    expect(junk.out()).toBe('');
  });

  it('exits 2 when the input fails while reading', async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('boom'), { code: 'EIO' }));
      },
    });
    const t = io(failing);
    expect(await runInfer({ file: '-' }, t.io)).toBe(2);
    expect(t.err()).toContain('cannot read stdin: EIO');
  });
});
