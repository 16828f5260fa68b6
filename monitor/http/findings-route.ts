import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import type { FindingFilter } from '../store/store.js';
import { errorResponses, FINDINGS_PAGE_SCHEMA, FINDINGS_QUERY_SCHEMA } from './schemas.js';

/**
 * GET /v1/findings: stored findings, newest first, filtered and paged with
 * the opaque `next_cursor`. Findings are written in batches, so one appears
 * here within the store's flush interval (store.flushIntervalMs) of its event.
 */
export async function findingsRoute(server: FastifyInstance, app: App): Promise<void> {
  server.get<{ Querystring: FindingFilter }>(
    '/v1/findings',
    {
      schema: {
        querystring: FINDINGS_QUERY_SCHEMA,
        response: { 200: FINDINGS_PAGE_SCHEMA, ...errorResponses(400) },
      },
    },
    async (request) => app.store.queryFindings(request.query),
  );
}
