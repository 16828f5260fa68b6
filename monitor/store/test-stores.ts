import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from './open-store.js';
import type { Store } from './store.js';

/**
 * The stores a test file runs its suite against: PGlite always, PostgreSQL
 * too when DATABASE_URL is set. Every PostgreSQL store lives in a schema of
 * its own, so test files running in parallel never see each other's rows.
 */
export interface TestStoreTarget {
  name: 'pglite' | 'postgres';
  /** A store on an empty database of its own. */
  open(): Promise<Store>;
  /** A store at one location shared by every call on this target (PGlite data dir, PostgreSQL schema): reopening. */
  openPersistent(): Promise<Store>;
  /** Closes the stores opened and drops what they created. */
  cleanup(): Promise<void>;
}

let counter = 0;

function schemaName(): string {
  counter += 1;
  return `earshot_test_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

function pgliteTarget(): TestStoreTarget {
  const opened: Store[] = [];
  let dataDir: string | undefined;
  const track = (s: Store) => {
    opened.push(s);
    return s;
  };
  return {
    name: 'pglite',
    open: async () => track(await openStore({ dataDir: 'memory://' })),
    async openPersistent() {
      dataDir ??= await mkdtemp(join(tmpdir(), 'earshot-store-'));
      return track(await openStore({ dataDir }));
    },
    async cleanup() {
      await Promise.all(opened.map((s) => s.close()));
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresTarget(url: string): TestStoreTarget {
  const opened: Store[] = [];
  const schemas: string[] = [];
  let persistent: string | undefined;
  const openIn = async (schema: string) => {
    if (!schemas.includes(schema)) schemas.push(schema);
    const store = await openStore({ url, schema });
    opened.push(store);
    return store;
  };
  return {
    name: 'postgres',
    open: () => openIn(schemaName()),
    openPersistent() {
      persistent ??= schemaName();
      return openIn(persistent);
    },
    async cleanup() {
      await Promise.all(opened.map((s) => s.close()));
      if (schemas.length === 0) return;
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

/** Call once per test file, at module level, and run `describe.each` over the result. */
export function testStores(): TestStoreTarget[] {
  const url = process.env.DATABASE_URL;
  return url ? [pgliteTarget(), postgresTarget(url)] : [pgliteTarget()];
}
