import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlExecutor, SqlQueryable } from './sql.js';

export interface PgliteSqlOptions {
  /** A directory on disk, or `memory://` for a database that lives in the process only. */
  dataDir: string;
  /** Schema to put earshot's tables in. */
  schema?: string;
}

function queryable(db: PGlite | Transaction): SqlQueryable {
  return {
    async query<R>(text: string, params?: unknown[]) {
      const res = await db.query<R>(text, params);
      return { rows: res.rows };
    },
    async exec(text: string) {
      await db.exec(text);
    },
    async copyIn(table: string, columns: readonly string[], rows: string) {
      // PGlite has no client stream: COPY reads the rows from a blob it is handed as /dev/blob.
      await db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
        blob: new Blob([rows]),
      });
    },
  };
}

/** Embedded PostgreSQL (PGlite): no server needed. One connection, queries are serialized. */
export async function createPgliteSql(options: PgliteSqlOptions): Promise<SqlExecutor> {
  const inMemory = options.dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  if (options.schema) {
    // PGlite has a single session, so a session-level search_path holds for every query.
    await db.exec(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"; SET search_path TO "${options.schema}"`);
  }
  const base = queryable(db);
  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    copyIn: base.copyIn,
    transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(queryable(tx)));
    },
    close() {
      closing ??= db.close();
      return closing;
    },
  };
}
