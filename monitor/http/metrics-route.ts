import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';

/** GET /metrics: the Prometheus exposition of earshot's own registry. */
export async function metricsRoute(server: FastifyInstance, app: App): Promise<void> {
  const registry = app.metrics.registry;
  server.get(
    '/metrics',
    // A text exposition: the schema documents it; Fastify serializes only JSON answers.
    { schema: { response: { 200: { type: 'string' } } } },
    async (_request, reply) => {
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );
}
