import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { UsageError } from './cli-io.js';
import { CONSENT_IMPORT_HELP, runConsentImport } from './consent-import-command.js';
import { testIo } from './test-io.js';

let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-consent-import-'));
  dataDir = join(dir, 'data');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({ EARSHOT_DATA_DIR: dataDir, EARSHOT_HASH_SALT: 'test-salt-of-sixteen+' });

const JANE = 'jane.doe@example.com';

const NDJSON = [
  { user_id: JANE, purpose: 'analytics', status: 'granted', occurred_at: '2026-03-01T10:00:00Z' },
  { user_id: JANE, purpose: 'advertising', status: 'denied', occurred_at: '2026-03-01T10:00:00Z', gpc: true },
  { user_id: 'u-2', purpose: 'model_training', status: 'withdrawn', occurred_at: '2026-03-02T00:00:00Z' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

const CSV_WITH_BAD_ROWS = [
  'user_id,purpose,status,occurred_at,region',
  `${JANE},personalization,granted,2026-03-03T00:00:00Z,DE`,
  `${JANE},telepathy,granted,2026-03-03T00:00:00Z,DE`,
  `${JANE},personalization,granted,yesterday,DE`,
  `"Doe, Jane",recording,denied,2026-03-03T00:00:00Z,`,
].join('\r\n');

async function timeline(user: string) {
  const store = await openStore({ dataDir });
  try {
    return await store.consent.timeline(user);
  } finally {
    await store.close();
  }
}

describe('earshot consent import', () => {
  it('prints its help', async () => {
    const io = testIo();
    expect(await runConsentImport(['--help'], io)).toBe(0);
    expect(io.out()).toBe(CONSENT_IMPORT_HELP);
  });

  it('refuses bad usage and an unreadable file before opening the store', async () => {
    await expect(runConsentImport([], testIo({ env: env() }))).rejects.toThrow(/needs a FILE/);
    await expect(runConsentImport(['a', 'b'], testIo({ env: env() }))).rejects.toThrow(/takes one FILE/);
    await expect(runConsentImport(['x', '--format', 'xlsx'], testIo({ env: env() }))).rejects.toThrow(
      /--format must be ndjson or csv/,
    );
    await expect(runConsentImport(['x', '--report', 'xml'], testIo({ env: env() }))).rejects.toThrow(
      UsageError,
    );
    await expect(runConsentImport(['x', '--fast'], testIo({ env: env() }))).rejects.toThrow(UsageError);
    await expect(runConsentImport([join(dir, 'missing.csv')], testIo({ env: env() }))).rejects.toThrow(
      /cannot read .*missing\.csv: no such file/,
    );
    await expect(runConsentImport([dir], testIo({ env: env() }))).rejects.toThrow(/not a file/);
  });

  // One data directory through these, in order: opening PGlite on disk takes seconds.
  describe('on a PGlite data directory', { timeout: 60_000 }, () => {
    it('imports an NDJSON file, exit 0, with totals and a rate', async () => {
      const file = join(dir, 'consents.ndjson');
      await writeFile(file, NDJSON);
      const io = testIo({ env: env() });
      expect(await runConsentImport([file], io)).toBe(0);
      expect(io.out()).toMatch(
        /^3 rows: 3 recorded, 0 duplicates, 0 rejected in \d+\.\d\d s \([\d,]+ records\/s\)\n$/,
      );
      expect(io.err()).toBe('');
      expect((await timeline(JANE)).map((r) => r.purpose).sort()).toEqual(['advertising', 'analytics']);
    });

    it('records nothing new when the file is imported again: duplicates, exit 0', async () => {
      const io = testIo({ env: env() });
      expect(await runConsentImport([join(dir, 'consents.ndjson'), '--report', 'json'], io)).toBe(0);
      const summary = JSON.parse(io.out());
      expect(summary).toMatchObject({ lines: 3, recorded: 0, duplicates: 3, rejected: 0, errors: [] });
      expect(typeof summary.seconds).toBe('number');
      expect(await timeline(JANE)).toHaveLength(2);
    });

    it('exits 1 listing rejected CSV rows by line, never their values, and records the good rows', async () => {
      const file = join(dir, 'export.csv');
      await writeFile(file, CSV_WITH_BAD_ROWS);
      const io = testIo({ env: env() });
      expect(await runConsentImport([file], io)).toBe(1);
      const lines = io.out().split('\n');
      expect(lines.slice(0, 2)).toEqual([
        'line 3: purpose is not in the catalogue (detectors.consent.purposes)',
        'line 4: occurred_at is not an RFC 3339 timestamp',
      ]);
      expect(lines[2]).toMatch(/^4 rows: 2 recorded, 0 duplicates, 2 rejected in /);
      expect(io.out()).not.toMatch(/jane|doe/i);
      expect((await timeline(JANE)).map((r) => r.purpose).sort()).toEqual([
        'advertising',
        'analytics',
        'personalization',
      ]);
      expect(await timeline('Doe, Jane')).toHaveLength(1);
    });

    it('reads stdin with - and --format, giving the summary as JSON', async () => {
      const io = testIo({ env: env(), stdin: CSV_WITH_BAD_ROWS });
      expect(await runConsentImport(['-', '--format', 'csv', '--report', 'json'], io)).toBe(1);
      expect(JSON.parse(io.out())).toMatchObject({
        lines: 4,
        recorded: 0,
        duplicates: 2,
        rejected: 2,
        errors: [{ line: 3 }, { line: 4 }],
      });
    });

    it('takes the format from the extension unless --format says otherwise', async () => {
      const file = join(dir, 'really-csv.txt');
      await writeFile(file, CSV_WITH_BAD_ROWS);
      const asNdjson = testIo({ env: env() });
      expect(await runConsentImport([file], asNdjson)).toBe(1);
      expect(asNdjson.out()).toMatch(/^line 1: not valid JSON\n/);
      const asCsv = testIo({ env: env() });
      expect(await runConsentImport([file, '--format', 'csv'], asCsv)).toBe(1);
      expect(asCsv.out()).toMatch(/4 rows: 0 recorded, 2 duplicates, 2 rejected/);
    });
  });

  it('exits 2 when the store cannot be opened, without printing the URL', async () => {
    const file = join(dir, 'consents.ndjson');
    const io = testIo({ env: { DATABASE_URL: 'postgres://earshot:s3cret@127.0.0.1:1/earshot' } });
    expect(await runConsentImport([file], io)).toBe(2);
    expect(io.err()).toMatch(/consent import: cannot open the PostgreSQL database: .*ECONNREFUSED/);
    expect(io.err()).not.toContain('s3cret');
    expect(io.out()).toBe('');
  });
});
