import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsentFileFormat,
  type ConsentFileRow,
  formatFromName,
  MAX_ROW_CHARS,
  readConsentFile,
} from './read-consent-file.js';

async function read(text: string | string[], format: ConsentFileFormat): Promise<ConsentFileRow[]> {
  const out: ConsentFileRow[] = [];
  for await (const r of readConsentFile(Readable.from(Array.isArray(text) ? text : [text]), format))
    out.push(r);
  return out;
}

/** A value that must never appear in an error message. */
const SECRET = 'jane.doe@example.com';

function errorsOf(rows: ConsentFileRow[]): string {
  return rows
    .filter((r) => 'error' in r)
    .map((r) => ('error' in r ? r.error : ''))
    .join('\n');
}

describe('formatFromName', () => {
  it('reads .csv as CSV and .ndjson, .jsonl and anything else as NDJSON', () => {
    expect(formatFromName('export/consents.CSV')).toBe('csv');
    expect(formatFromName('consents.ndjson')).toBe('ndjson');
    expect(formatFromName('consents.jsonl')).toBe('ndjson');
    expect(formatFromName('consents.txt')).toBe('ndjson');
  });
});

describe('readConsentFile as NDJSON', () => {
  it('yields each object with its line, skipping blank lines and a byte order mark', async () => {
    const rows = await read(
      `\uFEFF{"user_id":"u1","purpose":"analytics"}\n\n  \r\n{"user_id":"u2","gpc":true,"consent_mode":{"ad_storage":"denied"}}\r\n`,
      'ndjson',
    );
    expect(rows).toEqual([
      { line: 1, row: { user_id: 'u1', purpose: 'analytics' } },
      { line: 4, row: { user_id: 'u2', gpc: true, consent_mode: { ad_storage: 'denied' } } },
    ]);
  });

  it('names the line of bad JSON, a non-object and an unknown field without echoing any value', async () => {
    const rows = await read(
      [
        `{"user_id":"${SECRET}"\n`,
        `["${SECRET}"]\n`,
        `{"user_id":"${SECRET}","emial":"x"}\n`,
        `{"user_id":"${SECRET}","consent_mode":{"ad_storage":"granted","ads":"denied"}}\n`,
        '{"user_id":"ok","consent_mode.ad_user_data":"granted"}\n',
      ],
      'ndjson',
    );
    expect(rows).toEqual([
      { line: 1, error: 'not valid JSON' },
      { line: 2, error: 'not a JSON object' },
      { line: 3, error: 'unknown field "emial"' },
      { line: 4, error: 'unknown field "consent_mode.ads"' },
      { line: 5, row: { user_id: 'ok', 'consent_mode.ad_user_data': 'granted' } },
    ]);
    expect(errorsOf(rows)).not.toContain(SECRET);
  });

  it('refuses a line longer than a record can be without parsing it', async () => {
    const rows = await read(`{"user_id":"${'x'.repeat(MAX_ROW_CHARS)}"}\n{"user_id":"u"}\n`, 'ndjson');
    expect(rows).toEqual([
      { line: 1, error: `line is longer than ${MAX_ROW_CHARS} characters` },
      { line: 2, row: { user_id: 'u' } },
    ]);
  });
});

describe('readConsentFile as CSV', () => {
  it('maps cells to the header in any order, an empty cell being absent', async () => {
    const rows = await read(
      'status,user_id,purpose,occurred_at,consent_mode.ad_storage,gpc\r\n' +
        'granted,u1,analytics,2026-03-01T10:00:00Z,,true\r\n' +
        'denied,u2,advertising,2026-03-02T10:00:00Z,denied,\r\n',
      'csv',
    );
    expect(rows).toEqual([
      {
        line: 2,
        row: {
          status: 'granted',
          user_id: 'u1',
          purpose: 'analytics',
          occurred_at: '2026-03-01T10:00:00Z',
          gpc: 'true',
        },
      },
      {
        line: 3,
        row: {
          status: 'denied',
          user_id: 'u2',
          purpose: 'advertising',
          occurred_at: '2026-03-02T10:00:00Z',
          'consent_mode.ad_storage': 'denied',
        },
      },
    ]);
  });

  it('reads quoted cells with commas, doubled quotes and line breaks, giving the line a record starts on', async () => {
    const rows = await read(
      [
        'user_id,source,consent_version\n',
        '"Doe, Jane","the ""web"" banner",v1\n',
        'u2,"line one\nline two\r\n',
        'line three",v2\n',
        'u3,"",""\n',
      ],
      'csv',
    );
    expect(rows).toEqual([
      { line: 2, row: { user_id: 'Doe, Jane', source: 'the "web" banner', consent_version: 'v1' } },
      { line: 3, row: { user_id: 'u2', source: 'line one\nline two\nline three', consent_version: 'v2' } },
      { line: 6, row: { user_id: 'u3' } },
    ]);
  });

  it('reports broken quoting by line and column and reads on with the next line', async () => {
    const rows = await read(
      [
        'user_id,source,region\n',
        `${SECRET},we"b,DE\n`,
        `${SECRET},"web"x,DE\n`,
        'u4,web,FR\n',
        `${SECRET},"never closed,DE\n`,
        'u6,web,ES\n',
      ],
      'csv',
    );
    expect(rows).toEqual([
      { line: 2, error: 'column "source": a quote inside an unquoted cell' },
      { line: 3, error: 'column "source": characters after a closing quote' },
      { line: 4, row: { user_id: 'u4', source: 'web', region: 'FR' } },
      // The open quote runs, as RFC 4180 says, to the end of the file.
      { line: 5, error: 'a quoted cell is not closed by the end of the file' },
    ]);
    expect(errorsOf(rows)).not.toContain(SECRET);
  });

  it('refuses a record with more or fewer cells than the header names', async () => {
    const rows = await read(`user_id,purpose\nu1,analytics,${SECRET}\nu2\nu3,recording\n`, 'csv');
    expect(rows).toEqual([
      { line: 2, error: '3 cells where the header names 2 columns' },
      { line: 3, error: '1 cells where the header names 2 columns' },
      { line: 4, row: { user_id: 'u3', purpose: 'recording' } },
    ]);
  });

  it('names unknown and repeated columns on the header line, rejecting only the records that fill them', async () => {
    const rows = await read(
      `\uFEFFuser_id,email,purpose,purpose\nu1,,analytics,\n${SECRET},${SECRET},analytics,\nu3,,analytics,sale\n`,
      'csv',
    );
    expect(rows).toEqual([
      { line: 1, error: 'header: unknown column "email"; column "purpose" appears twice' },
      { line: 2, row: { user_id: 'u1', purpose: 'analytics' } },
      { line: 3, error: 'column 2 holds a value but unknown column "email"' },
      { line: 4, error: 'column 4 holds a value but column "purpose" appears twice' },
    ]);
    expect(errorsOf(rows)).not.toContain(SECRET);
  });

  it('reads no record when the header itself cannot be parsed', async () => {
    expect(await read('user_id,pur"pose\nu1,analytics\n', 'csv')).toEqual([
      { line: 1, error: 'header: column 2: a quote inside an unquoted cell; no record was read' },
    ]);
  });

  it('gives up on a record past the size limit and starts afresh on the next line', async () => {
    const long = `${'x'.repeat(1000)}\n`.repeat(Math.ceil(MAX_ROW_CHARS / 1000) + 1);
    const rows = await read(['user_id,source\n', 'u1,"open\n', long, 'u2,web\n'], 'csv');
    expect(rows[0]).toEqual({
      line: 2,
      error: `column "source": record is longer than ${MAX_ROW_CHARS} characters (a quote not closed?)`,
    });
    expect(rows.at(-1)).toEqual({ line: rows.at(-1)!.line, row: { user_id: 'u2', source: 'web' } });
  });
});

describe('readConsentFile on a file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-consent-read-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams a file larger than one read chunk, line numbers intact', async () => {
    const file = join(dir, 'many.ndjson');
    const n = 20_000;
    await writeFile(file, Array.from({ length: n }, (_, i) => `{"user_id":"u${i}"}\n`).join(''));
    let count = 0;
    let last: ConsentFileRow | undefined;
    for await (const r of readConsentFile(createReadStream(file), 'ndjson')) {
      count++;
      last = r;
    }
    expect(count).toBe(n);
    expect(last).toEqual({ line: n, row: { user_id: `u${n - 1}` } });
  });

  it('rejects when the input cannot be read', async () => {
    const rows = readConsentFile(createReadStream(dir), 'csv');
    await expect(rows.next()).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
