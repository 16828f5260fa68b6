import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { App } from '../app.js';
import { registerAuth } from './auth/auth-hook.js';
import { consentRoute } from './consent-route.js';
import { contractsRoute } from './contracts-route.js';
import { handleError, registerErrorHandling } from './error-handler.js';
import { eventsRoute } from './events-route.js';
import { experimentsRoute } from './experiments-route.js';
import { findingsRoute } from './findings-route.js';
import { healthRoute } from './health-route.js';
import { shedLoad } from './load-shedding.js';
import { metricsRoute } from './metrics-route.js';
import { monitorsRoute } from './monitors-route.js';
import { redactRoute } from './redact-route.js';
import { runbooksRoute } from './runbooks-route.js';

/** A plugin under a name: traces show it for its hooks and handlers ("handler - events"). */
function named(
  name: string,
  plugin: (s: FastifyInstance) => Promise<void>,
): (s: FastifyInstance) => Promise<void> {
  Object.defineProperty(plugin, 'name', { value: name });
  return plugin;
}

/**
 * Builds the HTTP API over an App, ready but not listening. The caller owns
 * the lifecycle: listen(), then on shutdown server.close() (drains in-flight
 * requests) before app.stop() (flushes the store).
 *
 * Each route group is an encapsulated plugin, so the body types one accepts
 * (NDJSON for events, YAML for contracts) do not leak to the others.
 */
export async function buildServer(app: App): Promise<FastifyInstance> {
  const server = Fastify({
    // pino's Logger is a FastifyBaseLogger; naming the base type keeps FastifyInstance's default generics.
    loggerInstance: app.logger as FastifyBaseLogger,
    bodyLimit: app.config.server.bodyLimitBytes,
    // Requests are logged once, lightly, below: Fastify's own log lines carry the raw URL.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    frameworkErrors: handleError,
    // Fastify's default drops properties a schema does not name, so a mistyped
    // filter (?sevrity=error) would answer unfiltered results. Schemas that
    // say additionalProperties: false refuse them instead; open schemas still accept them.
    ajv: { customOptions: { removeAdditional: false } },
  });

  registerErrorHandling(server);
  server.removeAllContentTypeParsers();
  const methods = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
  server.addHook('onResponse', async (request, reply) => {
    // Route and method as registered, never the raw path: a scanner's paths cannot add series.
    app.metrics.httpRequests.inc({
      route: request.routeOptions.url ?? 'unmatched',
      method: methods.has(request.method) ? request.method : 'other',
      code: String(reply.statusCode),
    });
    request.log.debug(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  // Before any route, so every one of them is behind it.
  await registerAuth(server, app.config.auth);
  // The ingest routes shed load; everything else (metrics and health above all) keeps answering.
  await server.register(
    named('ingest', async (s) => {
      await shedLoad(s, app.config.server.shedding);
      await s.register(named('events', (c) => eventsRoute(c, app)));
      await s.register(named('redact', (c) => redactRoute(c, app)));
    }),
  );
  const routes: Array<[string, (s: FastifyInstance, app: App) => Promise<void>]> = [
    ['contracts', contractsRoute],
    ['findings', findingsRoute],
    ['consent', consentRoute],
    ['monitors', monitorsRoute],
    ['experiments', experimentsRoute],
    ['runbooks', runbooksRoute],
    ['health', healthRoute],
    ['metrics', metricsRoute],
  ];
  for (const [name, route] of routes) await server.register(named(name, (s) => route(s, app)));
  return server;
}
