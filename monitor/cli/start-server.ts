import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type App, createApp } from '../app.js';
import type { Config } from '../config/config.js';
import { buildServer } from '../http/server.js';
import type { Logger } from '../logger.js';
import { activeTracing } from '../telemetry/tracing.js';

export interface RunningServer {
  app: App;
  server: FastifyInstance;
  /** Base URL to reach the API, e.g. http://localhost:8080 (the real port when 0 was asked). */
  url: string;
  /** Stops taking requests and drains those in flight, then stops the app (final evaluation, store flush). */
  close(): Promise<void>;
}

/** A URL a person can open: wildcard hosts become localhost, IPv6 literals get brackets. */
export function displayUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

/** Builds the app and its HTTP server and listens on config.server host and port. */
export async function startServer(config: Config, opts: { logger?: Logger } = {}): Promise<RunningServer> {
  const app = await createApp(config, opts.logger ? { logger: opts.logger } : {});
  let server: FastifyInstance;
  try {
    server = await buildServer(app);
    await app.start();
    await server.listen({ host: config.server.host, port: config.server.port });
  } catch (err) {
    await app.stop().catch(() => {});
    throw err;
  }
  const port = (server.server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    app,
    server,
    url: displayUrl(config.server.host, port),
    close() {
      closing ??= (async () => {
        try {
          await server.close();
        } finally {
          await app.stop();
          // Spans of the last requests and of the final flush go out before the process exits.
          await activeTracing()?.shutdown();
        }
      })();
      return closing;
    },
  };
}
