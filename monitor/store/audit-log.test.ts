import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuditEntry, AuditLog, canonicalJson, GENESIS_HASH } from './audit-log.js';
import type { SqlExecutor } from './sql.js';
import { testSqlTargets } from './test-sql.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const targets = testSqlTargets();

afterAll(async () => {
  await Promise.all(targets.map((t) => t.cleanup()));
});

/** Ledger-like entries with hashed user ids, as the consent code hands them over. */
function entries(n: number, from = 0): AuditEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: i % 3 === 2 ? 'consent_finding' : 'consent_record',
    content: {
      record_id: `r-${from + i}`,
      user: sha256(`salt:user-${(from + i) % 50}`),
      purpose: 'analytics',
      status: 'granted',
      occurred_at: '2025-03-01T10:00:00.000Z',
    },
  }));
}

describe('canonicalJson', () => {
  it('gives the same text whatever order the keys were built in, with no whitespace', () => {
    const a = { b: 1, a: { d: [{ y: 1, x: 'é "q"' }], c: null }, e: true };
    const b = { e: true, a: { c: null, d: [{ x: 'é "q"', y: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"x":"é \\"q\\"","y":1}]},"b":1,"e":true}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('follows JSON.stringify for dates, undefined members and non-finite numbers', () => {
    const value = { at: new Date('2025-01-02T03:04:05Z'), gone: undefined, n: Number.NaN, list: [undefined] };
    expect(canonicalJson(value)).toBe('{"at":"2025-01-02T03:04:05.000Z","list":[null],"n":null}');
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('refuses what JSON cannot hold', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/circular/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });
});

describe.each(targets)('AuditLog on $name', (target) => {
  let sql: SqlExecutor;
  let log: AuditLog;

  // One database per target (opening PGlite costs seconds); every test starts on an empty log at seq 1.
  beforeAll(async () => {
    sql = await target.open();
    log = new AuditLog(sql);
  });

  beforeEach(async () => {
    await sql.exec('TRUNCATE audit_log RESTART IDENTITY');
  });

  afterAll(async () => {
    await sql.close();
  });

  const seqs = async () =>
    (await sql.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_log ORDER BY seq')).rows.map((r) =>
      Number(r.seq),
    );

  it('verifies an empty log as intact at the genesis hash', async () => {
    expect(await log.verify()).toEqual({ ok: true, rows: 0, head: GENESIS_HASH });
    expect(await log.count()).toBe(0);
  });

  it('appends a clean chain across calls, hashed as documented, and verifies it', async () => {
    await log.append(entries(3));
    await log.append(entries(2, 3));
    const { rows } = await sql.query<{
      kind: string;
      content: string;
      content_hash: string;
      prev_hash: string;
      row_hash: string;
    }>('SELECT kind, content, content_hash, prev_hash, row_hash FROM audit_log ORDER BY seq');
    expect(rows).toHaveLength(5);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(JSON.parse(rows[0]!.content)).toEqual(entries(1)[0]!.content);
    expect(rows[0]!.content).toBe(canonicalJson(entries(1)[0]!.content));
    for (const [i, row] of rows.entries()) {
      expect(row.content_hash).toBe(sha256(row.content));
      expect(row.row_hash).toBe(sha256(row.prev_hash + row.content_hash + row.kind));
      if (i > 0) expect(row.prev_hash).toBe(rows[i - 1]!.row_hash);
    }
    expect(await log.verify()).toEqual({ ok: true, rows: 5, head: rows[4]!.row_hash });
    expect(await log.count()).toBe(5);
  });

  it('stores the same content the same way whatever its key order', async () => {
    await log.append([
      { kind: 'consent_erasure', content: { user: 'h1', records_removed: 2, at: '2025-01-01' } },
      { kind: 'consent_erasure', content: { at: '2025-01-01', records_removed: 2, user: 'h1' } },
    ]);
    const { rows } = await sql.query<{ content: string; content_hash: string }>(
      'SELECT content, content_hash FROM audit_log ORDER BY seq',
    );
    expect(rows[0]).toEqual(rows[1]);
    expect(rows[0]!.content).toBe('{"at":"2025-01-01","records_removed":2,"user":"h1"}');
  });

  it('appends inside the caller transaction: rolled back with it, and the gap left in seq is harmless', async () => {
    await log.append(entries(2));
    await expect(
      sql.transaction(async (tx) => {
        await log.append(entries(3, 2), tx);
        expect((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]!.n).toBe(
          5,
        );
        throw new Error('caller fails');
      }),
    ).rejects.toThrow('caller fails');
    expect(await log.count()).toBe(2);
    await log.append(entries(2, 5));
    expect(await seqs()).toEqual([1, 2, 6, 7]);
    expect(await log.verify()).toMatchObject({ ok: true, rows: 4 });
  });

  it('catches a row whose content was updated, at that seq, without printing the content', async () => {
    await log.append(entries(5));
    await sql.query(`UPDATE audit_log SET content = replace(content, 'granted', 'denied') WHERE seq = 3`);
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: false, seq: 3, rows: 2, problem: 'edited' });
    if (verdict.ok) return;
    expect(verdict.message).toMatch(/row 3 /);
    expect(verdict.message).not.toMatch(/denied|granted|r-2|analytics/);
  });

  it('catches an edit whose content_hash was recomputed too, through row_hash', async () => {
    await log.append(entries(5));
    await sql.query(`UPDATE audit_log SET content = replace(content, 'granted', 'denied') WHERE seq = 2`);
    await sql.query(
      `UPDATE audit_log SET content_hash = encode(sha256(convert_to(content, 'UTF8')), 'hex') WHERE seq = 2`,
    );
    const { rows } = await sql.query<{ content: string; content_hash: string }>(
      'SELECT content, content_hash FROM audit_log WHERE seq = 2',
    );
    expect(rows[0]!.content_hash).toBe(sha256(rows[0]!.content));
    expect(await log.verify()).toMatchObject({ ok: false, seq: 2, problem: 'edited' });
  });

  it('catches a row relabelled with another kind', async () => {
    await log.append(entries(3));
    await sql.query(`UPDATE audit_log SET kind = 'consent_record' WHERE seq = 3`);
    expect(await log.verify()).toMatchObject({ ok: false, seq: 3, problem: 'edited' });
  });

  it('catches a row rewritten with all its hashes recomputed at the next row', async () => {
    await log.append(entries(4));
    const content = canonicalJson({ record_id: 'forged' });
    const contentHash = sha256(content);
    const prev = (await sql.query<{ prev_hash: string }>('SELECT prev_hash FROM audit_log WHERE seq = 2'))
      .rows[0]!.prev_hash;
    await sql.query('UPDATE audit_log SET content = $1, content_hash = $2, row_hash = $3 WHERE seq = 2', [
      content,
      contentHash,
      sha256(`${prev}${contentHash}consent_record`),
    ]);
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: false, seq: 3, rows: 2, problem: 'inserted_or_deleted' });
    if (!verdict.ok) expect(verdict.message).toMatch(/row 3 .*row 2/);
  });

  it('catches a deleted middle row at the next seq, naming the row before the gap', async () => {
    await log.append(entries(5));
    await sql.query('DELETE FROM audit_log WHERE seq = 3');
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: false, seq: 4, rows: 2, problem: 'inserted_or_deleted' });
    if (!verdict.ok) expect(verdict.message).toMatch(/row 4 does not link to row 2/);
  });

  it('catches the first rows deleted', async () => {
    await log.append(entries(3));
    await sql.query('DELETE FROM audit_log WHERE seq = 1');
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: false, seq: 2, rows: 0, problem: 'inserted_or_deleted' });
    if (!verdict.ok) expect(verdict.message).toMatch(/row 2 is the first row/);
  });

  it('catches a forged row inserted in a gap, even with hashes linking it to the row before', async () => {
    await log.append(entries(1));
    // A rolled-back append leaves seq 2 unused, and the chain whole.
    await sql
      .transaction(async (tx) => {
        await log.append(entries(1, 1), tx);
        throw new Error('rolled back');
      })
      .catch(() => {});
    await log.append(entries(2, 2));
    expect(await seqs()).toEqual([1, 3, 4]);
    expect(await log.verify()).toMatchObject({ ok: true, rows: 3 });

    const prev = (await sql.query<{ row_hash: string }>('SELECT row_hash FROM audit_log WHERE seq = 1'))
      .rows[0]!.row_hash;
    const content = canonicalJson({ record_id: 'forged', status: 'granted' });
    const contentHash = sha256(content);
    await sql.query(
      `INSERT INTO audit_log (seq, kind, content, content_hash, prev_hash, row_hash)
       OVERRIDING SYSTEM VALUE VALUES (2, 'consent_record', $1, $2, $3, $4)`,
      [content, contentHash, prev, sha256(`${prev}${contentHash}consent_record`)],
    );
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: false, seq: 3, rows: 2, problem: 'inserted_or_deleted' });
    if (!verdict.ok) expect(verdict.message).toMatch(/row 3 does not link to row 2/);
  });

  it('catches a forged row with made-up hashes at its own seq', async () => {
    await log.append(entries(1));
    await sql
      .transaction(async (tx) => {
        await log.append(entries(1, 1), tx);
        throw new Error('rolled back');
      })
      .catch(() => {});
    await log.append(entries(1, 2));
    await sql.query(
      `INSERT INTO audit_log (seq, kind, content, content_hash, prev_hash, row_hash)
       OVERRIDING SYSTEM VALUE VALUES (2, 'consent_record', '{}', $1, $1, $1)`,
      ['a'.repeat(64)],
    );
    expect(await log.verify()).toMatchObject({ ok: false, seq: 2, rows: 1, problem: 'edited' });
  });

  it('reports a stored hash that is not a sha256 digest as broken_hash', async () => {
    await log.append(entries(3));
    await sql.query(`UPDATE audit_log SET row_hash = 'oops' WHERE seq = 2`);
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: false, seq: 2, rows: 1, problem: 'broken_hash' });
    if (!verdict.ok) expect(verdict.message).toMatch(/row_hash/);
  });

  it('keeps one valid chain when appenders run at the same time, each batch in one piece', async () => {
    const batches = [0, 1, 2, 3].map((b) =>
      entries(300, b * 1000).map((e) => ({ ...e, content: { ...e.content, batch: b } })),
    );
    await Promise.all(batches.map((batch) => log.append(batch)));
    expect(await log.verify()).toMatchObject({ ok: true, rows: 1200 });
    const { rows } = await sql.query<{ content: string }>('SELECT content FROM audit_log ORDER BY seq');
    const order = rows.map((r) => (JSON.parse(r.content) as { batch: number }).batch);
    for (let i = 0; i < order.length; i += 300) {
      expect(new Set(order.slice(i, i + 300)).size).toBe(1);
    }
  });

  it('appends and verifies 10,000 entries across verify pages', async () => {
    const started = performance.now();
    await log.append(entries(10_000));
    await log.append(entries(1, 10_000));
    const verdict = await log.verify();
    const ms = performance.now() - started;
    expect(verdict).toMatchObject({ ok: true, rows: 10_001 });
    expect(await log.count()).toBe(10_001);
    expect(ms).toBeLessThan(20_000);
    // A tampered row on the third page is still found.
    await sql.query(`UPDATE audit_log SET content = content || ' ' WHERE seq = 10001`);
    expect(await log.verify()).toMatchObject({ ok: false, seq: 10_001, rows: 10_000, problem: 'edited' });
  });
});
