/**
 * Records/s of `earshot consent import`: generates CONSENT_IMPORT_RECORDS
 * consent records (default 200,000) to a temporary NDJSON file and imports
 * them with importConsent into PostgreSQL when DATABASE_URL is set (a fresh
 * schema, dropped after), else into PGlite in a temporary data directory.
 * Target: 50,000 records/s. importConsent writes two batches at once. To show where the time goes it also measures
 * reading and checking alone (no store), insertRecords alone on records
 * already checked (with the audit hook the store wires and without), a re-import (all
 * duplicates), and how fast the store takes the check rows the service writes per event. Every figure printed is measured in this run.
 *
 * npm run build && node dist/bench/consent-import.bench.js
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { ConsentCheck } from '../detectors/consent/consent-detector.js';
import { type ConsentRecord, readConsentRecord } from '../detectors/consent/consent-record.js';
import { buildConfig } from '../monitor/config/config.js';
import { importConsent } from '../monitor/consent/import-consent.js';
import { readConsentFile } from '../monitor/consent/read-consent-file.js';
import { openStore } from '../monitor/store/open-store.js';
import type { Store } from '../monitor/store/store.js';

const RECORDS = Number(process.env.CONSENT_IMPORT_RECORDS ?? 200_000);
const TARGET = 50_000;
const BATCH = 5000;
const URL = process.env.DATABASE_URL;

const policy = buildConfig({}).detectors.consent;
const PURPOSES = Object.keys(policy.purposes);
const STATUSES = ['granted', 'granted', 'granted', 'denied', 'withdrawn'];
const REGIONS = [...policy.opt_in_regions, ...policy.opt_out_regions];
const SIGNALS = ['granted', 'denied'];

/** A platform export: about four records per user, half with the platform's own id, some with Consent Mode and GPC. */
function record(i: number): Record<string, unknown> {
  const r: Record<string, unknown> = {
    user_id: `user-${(i >> 2).toString(36).padStart(8, '0')}@example.com`,
    purpose: PURPOSES[i % PURPOSES.length],
    status: STATUSES[i % STATUSES.length],
    occurred_at: new Date(Date.UTC(2025, 0, 1) + i * 37_000).toISOString(),
    consent_version: `2025-${String((i % 12) + 1).padStart(2, '0')}`,
    source: i % 3 === 0 ? 'web-banner' : 'mobile-sdk',
    region: REGIONS[i % REGIONS.length],
  };
  if (i % 2 === 0) r.record_id = `cmp-${i}`;
  if (i % 5 === 0) r.gpc = i % 10 === 0;
  if (i % 4 === 0) {
    r.consent_mode = { ad_storage: SIGNALS[i % 2], analytics_storage: SIGNALS[(i >> 1) % 2] };
  }
  return r;
}

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  let chunk = '';
  for (let i = 0; i < RECORDS; i++) {
    chunk += `${JSON.stringify(record(i))}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** A fresh store and how to drop it: a schema of its own on PostgreSQL, a data directory on PGlite. */
async function freshStore(dir: string, name: string): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (URL) {
    const schema = `earshot_bench_${process.pid}_${name}`;
    const store = await openStore({ url: URL, schema });
    return {
      store,
      async drop() {
        await store.close();
        const client = new pg.Client({ connectionString: URL });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const dataDir = join(dir, name);
  const store = await openStore({ dataDir });
  return {
    store,
    async drop() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function line(label: string, seconds: number, n = RECORDS): number {
  const rate = n / seconds;
  console.log(`${label.padEnd(52)} ${fmt(rate).padStart(10)} records/s  ${seconds.toFixed(2).padStart(7)} s`);
  return rate;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'earshot-consent-bench-'));
  const drops: Array<() => Promise<void>> = [];
  try {
    const file = join(dir, 'consents.ndjson');
    await writeFile(file);
    const size = (await stat(file)).size;
    console.log(
      `consent import: ${fmt(RECORDS)} records (${(size / 1e6).toFixed(1)} MB NDJSON) into ${URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (data directory on disk)'}, batches of ${fmt(BATCH)}\n`,
    );
    const rows = () => readConsentFile(createReadStream(file), 'ndjson');

    // 1. Reading, parsing and checking alone: the ceiling the store leaves room for.
    const t0 = performance.now();
    const counted = await importConsent(rows(), policy, { insertRecords: async (r) => r.length });
    const readRate = line('read + parse + check (no store)', (performance.now() - t0) / 1000);
    if (counted.rejected > 0) throw new Error(`the generated file has ${counted.rejected} rejected rows`);

    // 2. The import as `earshot consent import` runs it: the headline figure.
    const full = await freshStore(dir, 'import');
    drops.push(full.drop);
    const summary = await importConsent(rows(), policy, full.store.consent);
    if (summary.recorded !== RECORDS) throw new Error(`recorded ${summary.recorded} of ${RECORDS}`);
    const importRate = line('importConsent (file to store, audit hook as wired)', summary.seconds);

    // 3. The same file again: every row a duplicate.
    const again = await importConsent(rows(), policy, full.store.consent);
    if (again.duplicates !== RECORDS) throw new Error(`re-import found ${again.duplicates} duplicates`);
    line('re-import (all duplicates)', again.seconds);

    // 4 and 5. insertRecords alone on checked records, without and with the audit hook the store wires.
    const records: ConsentRecord[] = [];
    for await (const item of rows()) {
      if ('row' in item) {
        const r = readConsentRecord(item.row, policy);
        if (r.ok) records.push(r.record);
      }
    }
    const insertAll = async (name: string, detachAudit: boolean) => {
      const target = await freshStore(dir, name);
      drops.push(target.drop);
      if (detachAudit) target.store.consent.setAppendHook(null);
      const t = performance.now();
      for (let i = 0; i < records.length; i += BATCH) {
        await target.store.consent.insertRecords(records.slice(i, i + BATCH));
      }
      return (performance.now() - t) / 1000;
    };
    const bareRate = line('insertRecords alone, audit hook detached', await insertAll('bare', true));
    const auditedRate = line('insertRecords alone, audit hook as wired', await insertAll('audited', false));

    // 6. What the service stores per event: a check row per event and purpose (the evidence of the
    // report), written by the consent writer in batches, violations chained into the audit log.
    const checks: ConsentCheck[] = [];
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < RECORDS; i++) {
      const violation = i % 100 === 0;
      checks.push({
        event_id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        occurred_at: new Date(start + i * 50).toISOString(),
        contract: 'conversation.message',
        version: '1.1.0',
        purpose: PURPOSES[i % 2]!,
        channel: 'web_chat',
        user_id: `user-${(i >> 3).toString(36)}@example.com`,
        outcome: violation ? 'consent_missing' : 'valid',
        record_id: violation ? null : `cmp-${i >> 1}`,
        detected_at: new Date(start + i * 50 + 20).toISOString(),
      });
    }
    const checkStore = await freshStore(dir, 'checks');
    drops.push(checkStore.drop);
    const tc = performance.now();
    for (let i = 0; i < checks.length; i += BATCH)
      await checkStore.store.consent.insertChecks(checks.slice(i, i + BATCH));
    const checkRate = (checks.length / (performance.now() - tc)) * 1000;
    console.log(
      `${'insertChecks (check rows, 1% violations, audited)'.padEnd(52)} ${fmt(checkRate).padStart(10)} rows/s`,
    );

    const us = (rate: number) => `${(1e6 / rate).toFixed(1)} us`;
    console.log(
      `\nper record: ${us(importRate)} in all; reading and checking ${us(readRate)}, ` +
        `the ledger INSERT ${us(bareRate)}, the INSERT with the audit log ${us(auditedRate)} ` +
        '(two batches are written at once while the next is read and checked)',
    );
    console.log(
      `target ${fmt(TARGET)} records/s: ${importRate >= TARGET ? 'met' : 'NOT met'} (${fmt(importRate)} records/s measured)`,
    );
  } finally {
    for (const drop of drops) await drop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
