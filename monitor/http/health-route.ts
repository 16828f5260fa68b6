import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { STATUS_SCHEMA } from './schemas.js';

/**
 * GET /healthz: the process answers (liveness; never touches the store, so a
 * slow database does not get the pod restarted).
 * GET /readyz: the store answers too (readiness: take traffic or not).
 */
export async function healthRoute(server: FastifyInstance, app: App): Promise<void> {
  server.get('/healthz', { schema: { response: { 200: STATUS_SCHEMA } } }, async () => ({ status: 'ok' }));

  server.get(
    '/readyz',
    { schema: { response: { 200: STATUS_SCHEMA, 503: STATUS_SCHEMA } } },
    async (request, reply) => {
      try {
        await app.store.ping();
        return { status: 'ok' };
      } catch (err) {
        request.log.warn({ err }, 'store ping failed; not ready');
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );
}
