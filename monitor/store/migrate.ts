import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlExecutor } from './sql.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * The migrations folder. Next to this module when running from source; the
 * build copies only TypeScript output to dist/, so from there walk up to the
 * package root's monitor/store/migrations (shipped through package.json "files").
 */
export function findMigrationsDir(moduleUrl: string | URL = import.meta.url): string {
  const beside = fileURLToPath(new URL('./migrations/', moduleUrl));
  if (existsSync(beside)) return beside;
  let dir = fileURLToPath(new URL('.', moduleUrl));
  for (;;) {
    const candidate = join(dir, 'monitor', 'store', 'migrations');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`migrations folder not found (looked in ${beside} and above)`);
}

/** Reads `NNNN_name.sql` files, sorted by version. */
export async function loadMigrations(dir: string = findMigrationsDir()): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file name must look like 0001_name.sql: ${file}`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`two migrations have version ${match[1]}`);
    }
    migrations.push({ version, name: match[2]!, sql: await readFile(join(dir, file), 'utf8') });
  }
  return migrations;
}

export interface MigrateOptions {
  /** Schema the tables live in; created when missing. Default: the connection's current schema. */
  schema?: string;
  migrations?: Migration[];
}

/**
 * Applies pending migrations, each in its own transaction, and records them in
 * schema_migrations. Each transaction first takes an advisory lock per schema,
 * so processes starting together apply every migration exactly once: the
 * second waits, then sees it applied.
 *
 * @returns the versions applied by this call.
 */
export async function migrate(sql: SqlExecutor, options: MigrateOptions = {}): Promise<number[]> {
  const migrations = options.migrations ?? (await loadMigrations());
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await sql.transaction(async (tx) => {
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtext('earshot.migrate:' || coalesce($1, current_schema(), '')))`,
        [options.schema ?? null],
      );
      if (options.schema) await tx.exec(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await tx.exec(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
