import { loadMigrations, migrate } from './migrate.js';
import { createPgSql } from './pg-sql.js';
import { createPgliteSql } from './pglite-sql.js';
import type { SqlExecutor } from './sql.js';
import { SqlStore } from './sql-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** PostgreSQL connection URL (DATABASE_URL). When absent, an embedded PGlite database is used. */
  url?: string;
  /** PGlite data directory (created when missing); `memory://` or absent keeps the data in memory only. */
  dataDir?: string;
  /** Schema for earshot's tables, created when missing; default the connection's current schema (public). */
  schema?: string;
  /** Migrations folder; default monitor/store/migrations. */
  migrationsDir?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the store: PostgreSQL through `pg` when `url` is given, PGlite
 * otherwise; then applies pending migrations. Callers choose the PGlite data
 * directory (the config layer), so leaving both out gives a throwaway
 * in-memory database.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error('store schema must be a lowercase SQL identifier (a-z, 0-9, _)');
  }
  const sql: SqlExecutor = options.url
    ? createPgSql({ url: options.url, schema: options.schema })
    : await createPgliteSql({ dataDir: options.dataDir ?? 'memory://', schema: options.schema });
  try {
    const migrations = options.migrationsDir ? await loadMigrations(options.migrationsDir) : undefined;
    await migrate(sql, { schema: options.schema, migrations });
  } catch (err) {
    await sql.close().catch(() => {});
    throw err;
  }
  return new SqlStore(sql);
}
