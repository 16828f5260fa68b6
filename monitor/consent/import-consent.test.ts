import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../detectors/consent/consent-record.js';
import { buildConfig } from '../config/config.js';
import type { Store } from '../store/store.js';
import { testStores } from '../store/test-stores.js';
import { ImportAbortedError, importConsent, storeProblem } from './import-consent.js';
import { type ConsentFileFormat, type ConsentFileRow, readConsentFile } from './read-consent-file.js';

const policy = buildConfig({}).detectors.consent;

/** User ids that look like personal data on purpose: none may show in an error. */
const JANE = 'jane.doe@example.com';
const JOHN = 'john.roe@example.com';

const rowsOf = (text: string, format: ConsentFileFormat) => readConsentFile(Readable.from([text]), format);

function ndjson(rows: Array<Record<string, unknown>>): string {
  return rows.map((r) => JSON.stringify(r)).join('\n');
}

const GOOD = [
  {
    user_id: JANE,
    purpose: 'analytics',
    status: 'granted',
    occurred_at: '2026-03-01T10:00:00Z',
    region: 'DE',
  },
  {
    user_id: JANE,
    purpose: 'advertising',
    status: 'denied',
    occurred_at: '2026-03-01T10:00:00+01:00',
    gpc: true,
    consent_mode: { ad_storage: 'denied', ad_personalization: 'denied' },
    record_id: 'cmp-42',
  },
  { user_id: JOHN, purpose: 'analytics', status: 'withdrawn', occurred_at: '2026-03-02T08:30:00.250Z' },
];

const BAD_NDJSON = [
  JSON.stringify(GOOD[0]),
  JSON.stringify({ ...GOOD[2], purpose: 'telepathy' }), // line 2: unknown purpose
  JSON.stringify({ ...GOOD[2], occurred_at: '2026-03-02 8:30' }), // line 3: malformed timestamp
  JSON.stringify({ ...GOOD[2], region: 'XX' }), // line 4: region outside the catalogue
  JSON.stringify({ ...GOOD[2], status: 'maybe' }), // line 5: bad status
  JSON.stringify({ ...GOOD[2], emial: JOHN }), // line 6: unknown field
  `{"user_id": "${JOHN}", "purpose": `, // line 7: broken JSON
  JSON.stringify({ ...GOOD[2], expires_at: '9999-12-31T23:00:00-05:00' }), // line 8: past 9999 in UTC
  JSON.stringify({ ...GOOD[2], user_id: `${JOHN}\u0000` }), // line 9: NUL, which jsonb refuses
  JSON.stringify(GOOD[2]), // line 10
].join('\n');

const BAD_NDJSON_ERRORS = [
  { line: 2, error: 'purpose is not in the catalogue (detectors.consent.purposes)' },
  { line: 3, error: 'occurred_at is not an RFC 3339 timestamp' },
  { line: 4, error: 'region is outside the catalogue (opt_in_regions, opt_out_regions)' },
  { line: 5, error: 'status must be granted, denied or withdrawn' },
  { line: 6, error: 'unknown field "emial"' },
  { line: 7, error: 'not valid JSON' },
  { line: 8, error: 'expires_at is outside the years 0001 to 9999 (UTC)' },
  { line: 9, error: 'user_id holds a character the database cannot store (NUL or a lone surrogate)' },
];

const CSV_HEADER =
  'record_id,user_id,purpose,status,occurred_at,source,consent_version,region,gpc,consent_mode.ad_storage';

describe.each(testStores())('importConsent on $name', (target) => {
  let store: Store;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(() => target.cleanup());

  it('records every NDJSON row and reports totals', async () => {
    const summary = await importConsent(rowsOf(ndjson(GOOD), 'ndjson'), policy, store.consent);
    expect(summary).toMatchObject({ lines: 3, recorded: 3, duplicates: 0, rejected: 0, errors: [] });
    expect(summary.seconds).toBeGreaterThan(0);
    const jane = await store.consent.timeline(JANE);
    expect(jane.map((r) => [r.purpose, r.status, r.occurred_at])).toEqual([
      ['advertising', 'denied', '2026-03-01T09:00:00.000Z'],
      ['analytics', 'granted', '2026-03-01T10:00:00.000Z'],
    ]);
    expect(jane.find((r) => r.record_id === 'cmp-42')).toMatchObject({
      gpc: true,
      consent_mode: { ad_storage: 'denied', ad_personalization: 'denied' },
    });
    expect(await store.consent.timeline(JOHN)).toHaveLength(1);
  });

  it('writes batches two at a time, every row recorded once and chained into the audit log', async () => {
    const rows: ConsentFileRow[] = Array.from({ length: 40 }, (_, i) => ({
      line: i + 1,
      row: {
        record_id: `two-at-a-time-${i}`,
        user_id: `writer-${i % 9}`,
        purpose: 'analytics',
        status: i % 3 === 0 ? 'denied' : 'granted',
        occurred_at: `2026-05-01T00:00:${String(i).padStart(2, '0')}Z`,
      },
    }));
    const summary = await importConsent(rows, policy, store.consent, { batchSize: 3, writers: 2 });
    expect(summary).toMatchObject({ lines: 40, recorded: 40, duplicates: 0 });
    let stored = 0;
    for (let u = 0; u < 9; u++) stored += (await store.consent.timeline(`writer-${u}`)).length;
    expect(stored).toBe(40);
    expect(await store.audit.verify()).toMatchObject({ ok: true });
  });

  it('records nothing new when the same file is imported again, counting duplicates', async () => {
    const summary = await importConsent(rowsOf(ndjson(GOOD), 'ndjson'), policy, store.consent);
    expect(summary).toMatchObject({ lines: 3, recorded: 0, duplicates: 3, rejected: 0 });
    expect(await store.consent.timeline(JANE)).toHaveLength(2);
  });

  it('imports CSV with quoted commas, doubled quotes and line breaks', async () => {
    const csv =
      `${CSV_HEADER}\r\n` +
      `csv-1,"Roe, Richard",personalization,granted,2026-04-01T12:00:00Z,"the ""new"" banner, v2",2026-01,FR,false,granted\r\n` +
      `csv-2,"Roe, Richard",recording,denied,2026-04-01T12:00:00Z,"call centre\r\nfloor 2",,,,\r\n`;
    const summary = await importConsent(rowsOf(csv, 'csv'), policy, store.consent);
    expect(summary).toMatchObject({ lines: 2, recorded: 2, duplicates: 0, rejected: 0 });
    const records = await store.consent.timeline('Roe, Richard');
    expect(records.map((r) => r.record_id).sort()).toEqual(['csv-1', 'csv-2']);
    expect(records.find((r) => r.record_id === 'csv-1')).toMatchObject({
      source: 'the "new" banner, v2',
      consent_version: '2026-01',
      region: 'FR',
      gpc: false,
      consent_mode: { ad_storage: 'granted' },
    });
    expect(records.find((r) => r.record_id === 'csv-2')).toMatchObject({
      source: 'call centre\nfloor 2',
      region: null,
      gpc: null,
      consent_mode: null,
    });
  });

  it('reports bad NDJSON rows by line, without their values, and records the good ones', async () => {
    const summary = await importConsent(rowsOf(BAD_NDJSON, 'ndjson'), policy, store.consent);
    // Line 1 is GOOD[0] again: a duplicate. Line 10 is GOOD[2] again.
    expect(summary).toMatchObject({ lines: 10, recorded: 0, duplicates: 2, rejected: 8 });
    expect(summary.errors).toEqual(BAD_NDJSON_ERRORS);
    expect(JSON.stringify(summary)).not.toMatch(/jane|john/);
    expect(await store.consent.timeline(JOHN)).toHaveLength(1);
  });

  it('reports bad CSV rows by line (an unknown column, broken quoting) and records the good ones', async () => {
    const csv = [
      `${CSV_HEADER},notes`,
      `,bad-1,analytics,granted,2026-05-01T00:00:00Z,,,,,,${JANE}`, // 2: a value in the unknown column
      ',bad-2,analytics,granted,2026-05-01T00:00:00Z,,,,,,', // 3: good, the unknown column empty
      `,bad-3,analytics,granted,2026-05-01T00:00:00Z,we"b,,,,,`, // 4: quote in an unquoted cell
      `,bad-4,analytics,granted,2026-05-01T00:00:00Z,"web"x,,,,,`, // 5: text after a closing quote
      ',bad-5,analytics,granted,2026-05-01T00:00:00Z,,,US-CA,,,', // 6: good
      ',bad-6,analytics,granted,2026-05-01T00:00:00Z,,,US-ZZ,,,', // 7: region outside the catalogue
      ',bad-7,analytics,granted,2026-05-01T00:00:00Z,,,,yes,,', // 8: gpc not a boolean
    ].join('\n');
    const summary = await importConsent(rowsOf(csv, 'csv'), policy, store.consent);
    expect(summary).toMatchObject({ lines: 8, recorded: 2, duplicates: 0, rejected: 6 });
    expect(summary.errors).toEqual([
      { line: 1, error: 'header: unknown column "notes"' },
      { line: 2, error: 'column 11 holds a value but unknown column "notes"' },
      { line: 4, error: 'column "source": a quote inside an unquoted cell' },
      { line: 5, error: 'column "source": characters after a closing quote' },
      { line: 7, error: 'region is outside the catalogue (opt_in_regions, opt_out_regions)' },
      { line: 8, error: 'gpc must be true or false' },
    ]);
    expect(JSON.stringify(summary)).not.toContain(JANE);
    expect(await store.consent.timeline('bad-2')).toHaveLength(1);
    expect(await store.consent.timeline('bad-5')).toHaveLength(1);
    expect(await store.consent.loadRecords(['bad-1', 'bad-3', 'bad-4', 'bad-6', 'bad-7'])).toEqual([]);
  });

  it('writes in batches, counting duplicates inside the file, and lists only the first errors', async () => {
    const rows: ConsentFileRow[] = [];
    for (let i = 0; i < 23; i++) {
      rows.push({
        line: i + 1,
        row: {
          user_id: `batch-${i % 7}`,
          purpose: 'analytics',
          status: 'granted',
          occurred_at: '2026-06-01T00:00:00Z',
        },
      });
    }
    for (let i = 0; i < 5; i++) rows.push({ line: 24 + i, error: 'not valid JSON' });
    const batches: number[] = [];
    const summary = await importConsent(rows, policy, store.consent, {
      batchSize: 5,
      maxErrors: 2,
      onBatch: (p) => batches.push(p.recorded + p.duplicates),
    });
    // Seven users with one identical record each: the same content hash, so seven new rows.
    expect(summary).toMatchObject({ lines: 28, recorded: 7, duplicates: 16, rejected: 5 });
    expect(summary.errors).toEqual([
      { line: 24, error: 'not valid JSON' },
      { line: 25, error: 'not valid JSON' },
    ]);
    expect(batches).toEqual([5, 10, 15, 20, 23]);
  });

  it('stops on an input that fails, keeping the batches written before it', async () => {
    async function* failing(): AsyncGenerator<ConsentFileRow> {
      for (let i = 0; i < 4; i++) {
        yield {
          line: i + 1,
          row: {
            user_id: 'partial',
            purpose: 'sale',
            status: 'denied',
            occurred_at: `2026-07-0${i + 1}T00:00:00Z`,
          },
        };
      }
      throw Object.assign(new Error('disk gone'), { code: 'EIO' });
    }
    const err = await importConsent(failing(), policy, store.consent, { batchSize: 3 }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportAbortedError);
    expect(err.during).toBe('read');
    expect(err.reason.code).toBe('EIO');
    expect(err.summary).toMatchObject({ lines: 4, recorded: 3 });
    expect(await store.consent.timeline('partial')).toHaveLength(3);
  });

  it('stops when the store cannot take a batch, saying how far it got', async () => {
    const closed = await target.open();
    await closed.close();
    const err = await importConsent(rowsOf(ndjson(GOOD), 'ndjson'), policy, closed.consent).catch((e) => e);
    expect(err).toBeInstanceOf(ImportAbortedError);
    expect(err.during).toBe('write');
    expect(err.summary).toMatchObject({ lines: 3, recorded: 0 });
  });
});

describe('importConsent: batches written at once', () => {
  /** A store that takes a while per batch, keeps the first record of each id, and notes how many batches it held at once. */
  function slowStore() {
    const kept = new Map<string, ConsentRecord>();
    let open = 0;
    const seen = { most: 0 };
    return {
      kept,
      seen,
      async insertRecords(records: readonly ConsentRecord[]): Promise<number> {
        open++;
        seen.most = Math.max(seen.most, open);
        await new Promise((resolve) => setTimeout(resolve, 20));
        let fresh = 0;
        for (const r of records) {
          if (kept.has(r.record_id)) continue;
          kept.set(r.record_id, r);
          fresh++;
        }
        open--;
        return fresh;
      },
    };
  }
  const row = (line: number, id: string, status: string): ConsentFileRow => ({
    line,
    row: { record_id: id, user_id: JANE, purpose: 'analytics', status, occurred_at: '2026-03-01T10:00:00Z' },
  });

  it('writes two batches at once while the next is read', async () => {
    const store = slowStore();
    const rows = [1, 2, 3, 4, 5, 6].map((i) => row(i, `cmp-${i}`, 'granted'));
    const summary = await importConsent(rows, policy, store, { batchSize: 2 });
    expect(summary).toMatchObject({ recorded: 6, duplicates: 0 });
    expect(store.seen.most).toBe(2);
  });

  it('when a batch fails, lets the other batch being written finish before saying how far it got', async () => {
    let open = 0;
    let calls = 0;
    const store = {
      async insertRecords(records: readonly ConsentRecord[]): Promise<number> {
        const n = ++calls;
        open++;
        await new Promise((resolve) => setTimeout(resolve, n === 1 ? 10 : 50));
        open--;
        if (n === 1) throw new Error('connection reset');
        return records.length;
      },
    };
    const rows = [1, 2, 3, 4].map((i) => row(i, `cmp-${i}`, 'granted'));
    const err = await importConsent(rows, policy, store, { batchSize: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportAbortedError);
    expect(err.during).toBe('write');
    expect(open).toBe(0);
    expect(err.summary).toMatchObject({ recorded: 2 });
  });

  it('holds a batch back until a batch with one of its record ids is written, so the first row wins', async () => {
    const store = slowStore();
    // cmp-1 comes back in the next batch with another status: the first one must be the one kept.
    const rows = [
      row(1, 'cmp-1', 'granted'),
      row(2, 'cmp-2', 'granted'),
      row(3, 'cmp-1', 'denied'),
      row(4, 'cmp-3', 'granted'),
    ];
    const summary = await importConsent(rows, policy, store, { batchSize: 2 });
    expect(summary).toMatchObject({ recorded: 3, duplicates: 1 });
    expect(store.kept.get('cmp-1')?.status).toBe('granted');
    expect(store.seen.most).toBe(1);
  });
});

describe('storeProblem', () => {
  const record = (over: Record<string, unknown>) => ({
    record_id: 'r',
    user_id: 'u',
    purpose: 'analytics',
    status: 'granted' as const,
    occurred_at: '2026-01-01T00:00:00.000Z',
    occurred_ms: 0,
    consent_version: null,
    source: null,
    lawful_basis: null,
    region: null,
    gpc: null,
    consent_mode: null,
    expires_at: null,
    ...over,
  });

  it('accepts ordinary records and paired surrogates', () => {
    expect(storeProblem(record({ source: 'app 😀', expires_at: '9999-12-31T23:59:59.000Z' }))).toBeNull();
  });

  it('refuses years PostgreSQL cannot read, NUL and lone surrogates', () => {
    expect(storeProblem(record({ occurred_at: '0000-12-31T23:00:00.000Z' }))).toBe(
      'occurred_at is outside the years 0001 to 9999 (UTC)',
    );
    expect(storeProblem(record({ expires_at: '+010000-01-01T04:59:59.000Z' }))).toBe(
      'expires_at is outside the years 0001 to 9999 (UTC)',
    );
    expect(storeProblem(record({ source: 'a\ud800' }))).toBe(
      'source holds a character the database cannot store (NUL or a lone surrogate)',
    );
    expect(storeProblem(record({ record_id: 'a\u0000' }))).toBe(
      'record_id holds a character the database cannot store (NUL or a lone surrogate)',
    );
  });
});
