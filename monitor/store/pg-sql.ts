import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SqlExecutor, SqlQueryable } from './sql.js';

export interface PgSqlOptions {
  url: string;
  /** Schema to put earshot's tables in (set as the connections' search_path). */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
}

async function copyIn(client: pg.PoolClient, table: string, columns: readonly string[], rows: string) {
  await pipeline(
    Readable.from([rows]),
    client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
  );
}

/**
 * A client taken from the pool, listening for 'error' while it is out: a
 * connection cut between two queries of a transaction emits it on the client,
 * and the pool listens only to idle ones, so unheard it would crash the
 * process. The query under way (or the next) rejects, which is the report.
 */
async function checkout(pool: pg.Pool): Promise<pg.PoolClient & { done(broken?: Error): void }> {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  return Object.assign(client, {
    done(broken?: Error) {
      client.off('error', ignore);
      client.release(broken);
    },
  });
}

function queryable(client: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async copyIn(table: string, columns: readonly string[], rows: string) {
      // COPY runs on one connection: outside a transaction, one is taken from the pool for it.
      if (!(client instanceof pg.Pool)) return copyIn(client, table, columns, rows);
      const c = await checkout(client);
      let broken: Error | undefined;
      try {
        await copyIn(c, table, columns, rows);
      } catch (err) {
        broken = err as Error;
        throw err;
      } finally {
        c.done(broken);
      }
    },
    async query<R>(text: string, params?: unknown[]) {
      const res = await client.query(text, params);
      return { rows: res.rows as R[] };
    },
    async exec(text: string) {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(text);
    },
  };
}

/** PostgreSQL through a `pg` Pool. */
export function createPgSql(options: PgSqlOptions): SqlExecutor {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled it
  // would crash the process. The pool drops that client and the next query reports.
  pool.on('error', () => {});
  const base = queryable(pool);
  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    copyIn: base.copyIn,
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await checkout(pool);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          // The connection is unusable: destroy it instead of returning it to the pool.
          broken = rollbackErr as Error;
        }
        throw err;
      } finally {
        client.done(broken);
      }
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
