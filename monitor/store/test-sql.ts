import pg from 'pg';
import { migrate } from './migrate.js';
import { createPgSql } from './pg-sql.js';
import { createPgliteSql } from './pglite-sql.js';
import type { SqlExecutor } from './sql.js';

/**
 * The databases a test of the SQL layer runs against, below the Store: a
 * migrated PGlite in memory always, and a fresh PostgreSQL schema too when
 * DATABASE_URL is set. cleanup() drops the schemas; the caller closes each
 * executor it opened.
 */
export interface TestSqlTarget {
  name: 'pglite' | 'postgres';
  open(): Promise<SqlExecutor>;
  cleanup(): Promise<void>;
}

function pgliteTarget(): TestSqlTarget {
  return {
    name: 'pglite',
    async open() {
      const sql = await createPgliteSql({ dataDir: 'memory://' });
      await migrate(sql);
      return sql;
    },
    async cleanup() {},
  };
}

function postgresTarget(url: string): TestSqlTarget {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    async open() {
      const schema = `earshot_sql_${process.pid}_${schemas.length}_${Math.random().toString(36).slice(2, 8)}`;
      schemas.push(schema);
      const sql = createPgSql({ url, schema });
      await migrate(sql, { schema });
      return sql;
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export function testSqlTargets(): TestSqlTarget[] {
  const url = process.env.DATABASE_URL;
  return url ? [pgliteTarget(), postgresTarget(url)] : [pgliteTarget()];
}
