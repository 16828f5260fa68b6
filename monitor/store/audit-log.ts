import { hash } from 'node:crypto';
import type { SqlExecutor, SqlQueryable } from './sql.js';

/** What an audit row records: a ledger record, a consent violation, an erasure carried out. */
export type AuditKind = 'consent_record' | 'consent_finding' | 'consent_erasure';

/**
 * One entry to append. `content` comes from the caller already pseudonymized
 * (user ids as salted hashes): the log stores it as given, so an erasure
 * never has to edit a row and break the chain.
 */
export interface AuditEntry {
  kind: AuditKind;
  content: Record<string, unknown>;
  /**
   * canonicalJson(content), when the caller built it already (bulk writers
   * whose content has a fixed shape): skips the generic key sort.
   */
  canonical?: string;
}

/**
 * The result of walking the chain. On failure `rows` counts the rows that
 * checked out before the first bad one, and `seq` names that bad row.
 * - `edited`: a row's content does not match its content_hash, or its
 *   row_hash does not match its own prev_hash, content_hash and kind;
 * - `inserted_or_deleted`: a row's prev_hash is not the row_hash of the row
 *   before it (rows were removed or slipped in between, or the row before it
 *   was rewritten with fresh hashes);
 * - `broken_hash`: a stored hash is not a sha256 hex digest at all.
 */
export type AuditVerdict =
  | { ok: true; rows: number; head: string }
  | {
      ok: false;
      rows: number;
      seq: number;
      problem: 'edited' | 'inserted_or_deleted' | 'broken_hash';
      message: string;
    };

/** prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Rows per INSERT (five parameters a row, within PostgreSQL's 65,535). */
const INSERT_CHUNK = 1000;
/** Rows per page when verifying, so the table is never held in memory whole. */
const VERIFY_PAGE = 5000;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * JSON with every object's keys sorted (by UTF-16 code units, as RFC 8785
 * does) and no whitespace, so the same content always gives the same bytes
 * and the same hash whatever order its keys were built in. Follows
 * JSON.stringify otherwise: toJSON is honoured, undefined members are left
 * out, non-finite numbers become null; a bigint or a cycle throws.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, new Set());
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

function write(value: unknown, open: Set<object>): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (open.has(obj)) throw new TypeError('canonicalJson: the value is circular');
  open.add(obj);
  let text: string;
  if (Array.isArray(obj)) {
    text = `[${obj.map((item) => write(item, open) ?? 'null').join(',')}]`;
  } else {
    const record = obj as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = write(record[key], open);
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
    }
    text = `{${members.join(',')}}`;
  }
  open.delete(obj);
  return text;
}

function sha256(text: string): string {
  // The one-shot form: a Hash object per call costs several times the hashing of a short text.
  return hash('sha256', text, 'hex');
}

/** The hash that links a row to the one before it; covers the kind so relabelling a row shows too. */
export function auditRowHash(prevHash: string, contentHash: string, kind: string): string {
  return sha256(prevHash + contentHash + kind);
}

interface ChainRow {
  seq: string;
  kind: string;
  content: string;
  content_hash: string;
  prev_hash: string;
  row_hash: string;
}

/**
 * The hash-chained audit log (table audit_log): every row carries the
 * row_hash of the row before it, so editing, removing or inserting a row
 * anywhere but at the very end breaks the chain from that row on.
 *
 * Removing the newest rows leaves a shorter chain that is still whole: to
 * notice that, keep the head that `verify()` reports somewhere else (a
 * ticket, a signed report) and compare later. recorded_at is not hashed;
 * a caller that needs the time proven puts it in the content.
 */
export class AuditLog {
  constructor(private readonly sql: SqlExecutor) {}

  /**
   * Appends the entries in order, all or none: in a transaction of its own,
   * or inside `tx` so they commit with the caller's other writes. Appenders
   * are serialized by a transaction-level advisory lock taken before the last
   * row is read, so two appenders never link to the same row; the lock is
   * released at commit. (In a REPEATABLE READ transaction, call this before
   * anything else reads, or the snapshot would predate the last append.)
   */
  async append(entries: AuditEntry[], tx?: SqlQueryable): Promise<void> {
    if (entries.length === 0) return;
    // Hash before taking the lock, so the lock is held for the inserts only.
    const rows = entries.map((e) => {
      const content = e.canonical ?? canonicalJson(e.content);
      return { kind: e.kind, content, contentHash: sha256(content) };
    });
    const run = async (q: SqlQueryable) => {
      // One key per schema, like migrate's: logs in different schemas do not wait for each other.
      await q.query(`SELECT pg_advisory_xact_lock(hashtext('earshot.audit_log:' || current_schema()))`);
      const last = await q.query<{ row_hash: string }>(
        'SELECT row_hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      let prev = last.rows[0]?.row_hash ?? GENESIS_HASH;
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        const chunk = rows.slice(start, start + INSERT_CHUNK);
        // Each value its own parameter: a row's content can be megabytes of JSON (one row holds a whole
        // import batch), and inside a text[] parameter every quote in it is escaped by the client and
        // unescaped by the server, which costs four times the insert itself.
        const params: string[] = [];
        const values: string[] = [];
        chunk.forEach((row, i) => {
          const rowHash = auditRowHash(prev, row.contentHash, row.kind);
          const n = params.push(row.kind, row.content, row.contentHash, prev, rowHash);
          values.push(`($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}, ${i})`);
          prev = rowHash;
        });
        // Rows go in in the order given, so seq follows the chain. A single row (a write's records
        // or violations) skips the sort, which copies its megabyte of content once more.
        await q.query(
          chunk.length === 1
            ? 'INSERT INTO audit_log (kind, content, content_hash, prev_hash, row_hash) VALUES ($1, $2, $3, $4, $5)'
            : `INSERT INTO audit_log (kind, content, content_hash, prev_hash, row_hash)
               SELECT k, c, h, p, r FROM (VALUES ${values.join(', ')}) AS t(k, c, h, p, r, i)
               ORDER BY i`,
          params,
        );
      }
    };
    if (tx) await run(tx);
    else await this.sql.transaction(run);
  }

  /**
   * Walks the whole chain in seq order, a page at a time, recomputing every
   * hash; stops at the first row that does not fit. Messages name rows by
   * seq only, never their content.
   */
  async verify(): Promise<AuditVerdict> {
    let prevHash = GENESIS_HASH;
    let prevSeq: string | undefined;
    let rows = 0;
    for (;;) {
      const page = await this.sql.query<ChainRow>(
        prevSeq === undefined
          ? `SELECT seq::text AS seq, kind, content, content_hash, prev_hash, row_hash
               FROM audit_log ORDER BY audit_log.seq LIMIT ${VERIFY_PAGE}`
          : `SELECT seq::text AS seq, kind, content, content_hash, prev_hash, row_hash
               FROM audit_log WHERE seq > $1::bigint ORDER BY audit_log.seq LIMIT ${VERIFY_PAGE}`,
        prevSeq === undefined ? [] : [prevSeq],
      );
      for (const row of page.rows) {
        const fail = (problem: 'edited' | 'inserted_or_deleted' | 'broken_hash', message: string) =>
          ({ ok: false, rows, seq: Number(row.seq), problem, message }) as const;
        for (const column of ['content_hash', 'prev_hash', 'row_hash'] as const) {
          if (!SHA256_HEX.test(row[column])) {
            return fail('broken_hash', `row ${row.seq}: ${column} is not a sha256 hex digest`);
          }
        }
        if (sha256(row.content) !== row.content_hash) {
          return fail('edited', `row ${row.seq} was edited: its content does not match its content_hash`);
        }
        if (auditRowHash(row.prev_hash, row.content_hash, row.kind) !== row.row_hash) {
          return fail(
            'edited',
            `row ${row.seq} was edited: its row_hash does not match its prev_hash, content_hash and kind`,
          );
        }
        if (row.prev_hash !== prevHash) {
          return fail(
            'inserted_or_deleted',
            prevSeq === undefined
              ? `row ${row.seq} is the first row but does not link to the start of the chain: rows before it were removed`
              : `row ${row.seq} does not link to row ${prevSeq} before it: rows between them were removed or inserted, or row ${prevSeq} was rewritten`,
          );
        }
        prevHash = row.row_hash;
        prevSeq = row.seq;
        rows += 1;
      }
      if (page.rows.length < VERIFY_PAGE) return { ok: true, rows, head: prevHash };
    }
  }

  async count(): Promise<number> {
    const { rows } = await this.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_log');
    return Number(rows[0]!.n);
  }
}
