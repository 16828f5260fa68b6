import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.js';
import { KeyRing, presentedKey } from './api-keys.js';
import type { AuthConfig } from './auth-config.js';
import { accessOf } from './roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The name of the API key the request came with, once authenticated. */
    apiKeyName?: string;
  }
}

/**
 * Authentication and authorization for every route, from the table in
 * roles.ts: a missing or unknown key is a 401 (with WWW-Authenticate), a key
 * without the route's role a 403, both as `{error, message}`. A registered
 * route missing from the table is refused (fail closed). Unmatched paths
 * are left to the 404 handler. With `rateLimit.perMinute`, each key (or
 * address without one) is limited, answering 429 with Retry-After; metrics
 * and health are never limited. Registered on the root before any route.
 */
export async function registerAuth(server: FastifyInstance, auth: AuthConfig): Promise<void> {
  if (auth.enabled) {
    const ring = new KeyRing(auth.keys);
    server.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions.url;
      if (route === undefined) return;
      const access = accessOf(request.method, route);
      if (access === 'open') return;
      if (access === 'metrics' && auth.metrics === 'open') return;
      if (access === 'health' && auth.health === 'open') return;
      const key = presentedKey(request.headers);
      const entry = key === null ? null : ring.find(key);
      if (!entry) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="earshot"')
          .send({
            error: 'unauthorized',
            message:
              key === null
                ? 'an API key is required: Authorization: Bearer <key>'
                : 'the API key is not known',
          });
      }
      request.apiKeyName = entry.name;
      if (access === 'metrics' || access === 'health') return;
      if (access === null) {
        return reply.code(403).send({ error: 'forbidden', message: 'this route is not open to any role' });
      }
      if (!entry.roles.includes(access)) {
        return reply.code(403).send({
          error: 'forbidden',
          message: `the key ${entry.name} lacks the ${access} role this route needs`,
        });
      }
    });
  }
  if (auth.rateLimit.perMinute > 0) {
    await server.register(rateLimit, {
      global: true,
      max: auth.rateLimit.perMinute,
      timeWindow: 60_000,
      // Prefixed, so a key named like an address never shares that address's budget.
      keyGenerator: (request: FastifyRequest) =>
        request.apiKeyName === undefined ? `ip:${request.ip}` : `key:${request.apiKeyName}`,
      allowList: (request: FastifyRequest) => {
        const access = accessOf(request.method, request.routeOptions.url);
        return access === 'metrics' || access === 'health';
      },
      // Thrown by the plugin: the error handler answers it as {error, message}, Retry-After already set.
      errorResponseBuilder: (_request, context) =>
        new HttpError(
          429,
          'rate_limited',
          `more than ${context.max} requests a minute; retry after ${Math.ceil(context.ttl / 1000)} s`,
        ),
    });
  }
}
