import { loadMigrations, migrate } from './migrate.js';
import { createPgSql } from './pg-sql.js';
import { createPgliteSql } from './pglite-sql.js';
import type { SqlExecutor } from './sql.js';

export interface OpenSqlOptions {
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
 * The database under the store, chosen as openStore chooses it (PostgreSQL
 * when `url` is given, PGlite otherwise) and migrated, for commands that
 * work on tables the Store interface does not cover (the audit log).
 */
export async function openSql(options: OpenSqlOptions = {}): Promise<SqlExecutor> {
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
  return sql;
}
