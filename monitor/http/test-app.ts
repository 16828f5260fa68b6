import type { FastifyInstance } from 'fastify';
import { type App, createApp } from '../app.js';
import { buildConfig } from '../config/config.js';
import type { Store } from '../store/store.js';
import { buildServer } from './server.js';

export interface TestAppOptions {
  /**
   * Config sections merged over the test defaults (in-memory store, silent
   * log, shipped contracts, consent detector off unless `detectors.consent` is given).
   */
  config?: Record<string, Record<string, unknown>>;
  /** An already-open store, e.g. one wrapped to fail; otherwise an in-memory PGlite. */
  store?: Store;
}

export interface TestApp {
  app: App;
  server: FastifyInstance;
  /** Closes the server, then stops the app (flushes and closes the store). */
  close(): Promise<void>;
}

/** An App and its HTTP server for tests: nothing listens, use server.inject(). */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const doc: Record<string, Record<string, unknown>> = {
    store: { dataDir: 'memory://' },
    log: { level: 'silent' },
    privacy: { hashSalt: 'test-salt' },
    // Off unless a test turns it on: most tests send events without consent records, which it would flag.
    detectors: { consent: { enabled: false } },
    // No load shedding unless a test asks: two busy CI cores are not an overload to refuse requests for.
    server: { shedding: { maxEventLoopDelayMs: 0, maxEventLoopUtilization: 0 } },
  };
  for (const [section, values] of Object.entries(opts.config ?? {})) {
    doc[section] = Array.isArray(values) ? values : { ...(doc[section] ?? {}), ...values };
  }
  if (opts.config?.detectors && !('consent' in opts.config.detectors)) {
    doc.detectors = { ...doc.detectors, consent: { enabled: false } };
  }
  const app = await createApp(buildConfig(doc), {
    processMetrics: false,
    ...(opts.store ? { store: opts.store } : {}),
  });
  const server = await buildServer(app);
  await server.ready();
  return {
    app,
    server,
    async close() {
      await server.close();
      await app.stop();
    },
  };
}
