import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { findMigrationsDir, loadMigrations, migrate } from './migrate.js';
import { openStore } from './open-store.js';
import { createPgliteSql } from './pglite-sql.js';
import { testStores } from './test-stores.js';

describe('migration files', () => {
  it('are found beside the module and start with 0001_init', async () => {
    const migrations = await loadMigrations();
    expect(migrations[0]).toMatchObject({ version: 1, name: 'init' });
    expect(migrations.map((m) => m.version)).toEqual(
      [...migrations.map((m) => m.version)].sort((a, b) => a - b),
    );
  });

  it('are found from the build output by walking up to the package root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'earshot-pkg-'));
    try {
      await mkdir(join(root, 'monitor', 'store', 'migrations'), { recursive: true });
      await mkdir(join(root, 'dist', 'monitor', 'store'), { recursive: true });
      const moduleUrl = pathToFileURL(join(root, 'dist', 'monitor', 'store', 'migrate.js'));
      expect(findMigrationsDir(moduleUrl)).toBe(join(root, 'monitor', 'store', 'migrations'));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuse a badly named file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-mig-'));
    try {
      await writeFile(join(dir, 'init.sql'), 'SELECT 1');
      await expect(loadMigrations(dir)).rejects.toThrow(/0001_name\.sql/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('migrate on PGlite', () => {
  it('applies each migration once, in order, recorded in schema_migrations', async () => {
    const sql = await createPgliteSql({ dataDir: 'memory://' });
    try {
      const migrations = [
        { version: 1, name: 'a', sql: 'CREATE TABLE a (x int)' },
        { version: 2, name: 'b', sql: 'CREATE TABLE b (x int); INSERT INTO a VALUES (1)' },
      ];
      expect(await migrate(sql, { migrations })).toEqual([1, 2]);
      expect(await migrate(sql, { migrations })).toEqual([]);
      const { rows } = await sql.query('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual([
        { version: 1, name: 'a' },
        { version: 2, name: 'b' },
      ]);
      expect((await sql.query('SELECT count(*)::int AS n FROM a')).rows).toEqual([{ n: 1 }]);
    } finally {
      await sql.close();
    }
  });

  it('rolls a failing migration back entirely and keeps the ones before it', async () => {
    const sql = await createPgliteSql({ dataDir: 'memory://' });
    try {
      const migrations = [
        { version: 1, name: 'a', sql: 'CREATE TABLE a (x int)' },
        { version: 2, name: 'broken', sql: 'CREATE TABLE b (x int); SELECT no_such_function()' },
      ];
      await expect(migrate(sql, { migrations })).rejects.toThrow();
      const { rows } = await sql.query<{ version: number }>('SELECT version FROM schema_migrations');
      expect(rows.map((r) => r.version)).toEqual([1]);
      expect((await sql.query(`SELECT to_regclass('b') AS b`)).rows).toEqual([{ b: null }]);
    } finally {
      await sql.close();
    }
  });
});

describe.each(testStores())('migrations on $name', (target) => {
  afterAll(() => target.cleanup());

  it('are idempotent across reopen, and data survives', async () => {
    const first = await target.openPersistent();
    await first.recordContractVersion({
      contract: 'c',
      version: '1.0.0',
      status: 'active',
      owner: 'o',
      compatibility: 'none',
      purposes: [],
      schema: {},
      attributes: {},
    });
    await first.close();
    const second = await target.openPersistent();
    expect((await second.contractHistory()).map((h) => h.contract)).toEqual(['c']);
    await second.close();
  });

  it('open twice at once on one location without failing (PostgreSQL: advisory lock)', async () => {
    if (target.name === 'pglite') {
      // One PGlite data directory belongs to one process; concurrent opens only apply to PostgreSQL.
      const store = await target.open();
      await store.ping();
      return;
    }
    const [a, b] = await Promise.all([target.openPersistent(), target.openPersistent()]);
    await Promise.all([a.ping(), b.ping()]);
  });
});

describe.runIf(process.env.DATABASE_URL)('migrations on PostgreSQL, two processes starting together', () => {
  it('apply every migration exactly once in a fresh schema', async () => {
    const url = process.env.DATABASE_URL!;
    const schema = `earshot_test_race_${process.pid}`;
    const opened = await Promise.allSettled([1, 2, 3].map(() => openStore({ url, schema })));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect(opened.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const { rows } = await client.query(
        `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
      );
      expect(rows.map((r) => r.version)).toEqual((await loadMigrations()).map((m) => m.version));
    } finally {
      await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close() : undefined)));
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('compress audit content with lz4 and compare consent ids bytewise', async () => {
    const url = process.env.DATABASE_URL!;
    const schema = `earshot_test_storage_${process.pid}`;
    const store = await openStore({ url, schema });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{
        table: string;
        column: string;
        compression: string;
        collation: string;
      }>(
        `SELECT c.relname AS table, a.attname AS column, a.attcompression AS compression,
                coalesce(co.collname, '') AS collation
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_collation co ON co.oid = a.attcollation
         WHERE n.nspname = $1 AND (c.relname, a.attname) IN
           (('audit_log', 'content'), ('consent_records', 'record_id'), ('consent_records', 'user_id'),
            ('consent_checks', 'user_id'), ('consent_checks', 'record_id'))
         ORDER BY 1, 2`,
        [schema],
      );
      // Debian's PostgreSQL is built with lz4; PGlite is not, and keeps pglz (the migration passes there).
      expect(rows.find((r) => r.table === 'audit_log')?.compression).toBe('l');
      expect(
        rows.filter((r) => r.table !== 'audit_log').map((r) => `${r.table}.${r.column} ${r.collation}`),
      ).toEqual([
        'consent_checks.record_id C',
        'consent_checks.user_id C',
        'consent_records.record_id C',
        'consent_records.user_id C',
      ]);
    } finally {
      await store.close();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
