import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, AuditLog } from '../store/audit-log.js';
import { openSql } from '../store/open-sql.js';
import { AUDIT_VERIFY_HELP, runAuditVerify } from './audit-verify-command.js';
import { UsageError } from './cli-io.js';
import { testIo } from './test-io.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-audit-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const USER_HASH = 'b'.repeat(64);

function entries(n: number): AuditEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'consent_record',
    content: { record_id: `rec-${i}`, user: USER_HASH, purpose: 'analytics', status: 'granted' },
  }));
}

/** Works on the data directory directly, as a person with database access would; closes it before the command opens it. */
async function withLog<T>(
  fn: (log: AuditLog, sql: Awaited<ReturnType<typeof openSql>>) => Promise<T>,
): Promise<T> {
  const sql = await openSql({ dataDir: dir });
  try {
    return await fn(new AuditLog(sql), sql);
  } finally {
    await sql.close();
  }
}

const env = () => ({ EARSHOT_DATA_DIR: dir });

// One data directory through the file, in order: intact, then tampered with.
// Creating a PGlite data directory on disk takes seconds, more on a busy machine.
describe('earshot audit verify on a PGlite data directory', { timeout: 60_000 }, () => {
  it('reports an intact log with its row count and head, exit 0', async () => {
    const head = await withLog(async (log) => {
      await log.append(entries(4));
      const verdict = await log.verify();
      return verdict.ok ? verdict.head : '';
    });
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    const io = testIo({ env: env() });
    expect(await runAuditVerify([], io)).toBe(0);
    expect(io.out()).toBe(`audit log intact: 4 rows, head ${head}\n`);
    expect(io.err()).toBe('');
  });

  it('gives the verdict as JSON with --format json', async () => {
    const io = testIo({ env: env() });
    expect(await runAuditVerify(['--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ ok: true, rows: 4 });
  });

  it('exits 1 naming the seq of an edited row, without printing its content', async () => {
    await withLog((_log, sql) =>
      sql.query(`UPDATE audit_log SET content = replace(content, 'granted', 'denied') WHERE seq = 3`),
    );
    const io = testIo({ env: env() });
    expect(await runAuditVerify([], io)).toBe(1);
    const out = io.out();
    expect(out).toMatch(/^audit log BROKEN at seq 3 \(edited\): row 3 was edited/);
    expect(out).toContain('2 rows before it check out.');
    expect(out).not.toMatch(/denied|granted|rec-|analytics/);
    expect(out).not.toContain(USER_HASH);
  });

  it('exits 1 naming the row after a deleted one and the row before it, also as JSON', async () => {
    await withLog(async (_log, sql) => {
      await sql.exec('TRUNCATE audit_log RESTART IDENTITY');
      await new AuditLog(sql).append(entries(5));
      await sql.query('DELETE FROM audit_log WHERE seq = 2');
    });
    const io = testIo({ env: env() });
    expect(await runAuditVerify([], io)).toBe(1);
    expect(io.out()).toMatch(/BROKEN at seq 3 \(inserted_or_deleted\): row 3 does not link to row 1/);

    const json = testIo({ env: env() });
    expect(await runAuditVerify(['--format=json'], json)).toBe(1);
    expect(JSON.parse(json.out())).toMatchObject({
      ok: false,
      seq: 3,
      rows: 1,
      problem: 'inserted_or_deleted',
    });
  });
});

describe('earshot audit verify usage', () => {
  it('prints its help', async () => {
    const io = testIo();
    expect(await runAuditVerify(['--help'], io)).toBe(0);
    expect(io.out()).toBe(AUDIT_VERIFY_HELP);
  });

  it('refuses a bad format and stray arguments as usage errors', async () => {
    await expect(runAuditVerify(['--format', 'xml'], testIo())).rejects.toThrow(UsageError);
    await expect(runAuditVerify(['now'], testIo())).rejects.toThrow(/unexpected argument "now"/);
    await expect(runAuditVerify(['--fast'], testIo())).rejects.toThrow(UsageError);
  });

  it('exits 2 when the store cannot be reached, without printing the URL', async () => {
    const io = testIo({ env: { DATABASE_URL: 'postgres://auditor:s3cret@127.0.0.1:1/earshot' } });
    expect(await runAuditVerify([], io)).toBe(2);
    expect(io.err()).toMatch(
      /^audit verify: cannot read the audit log from the PostgreSQL database: .*ECONNREFUSED/,
    );
    expect(io.err()).not.toContain('s3cret');
    expect(io.out()).toBe('');
  });
});
