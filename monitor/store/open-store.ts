import { type OpenSqlOptions, openSql } from './open-sql.js';
import { SqlStore } from './sql-store.js';
import type { Store } from './store.js';

export type OpenStoreOptions = OpenSqlOptions;

/**
 * Opens the store: PostgreSQL through `pg` when `url` is given, PGlite
 * otherwise; then applies pending migrations (see openSql). Callers choose
 * the PGlite data directory (the config layer), so leaving both out gives a
 * throwaway in-memory database.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  return new SqlStore(await openSql(options));
}
