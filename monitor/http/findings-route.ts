import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import type { FindingFilter } from '../store/store.js';
import { HttpError } from './http-error.js';
import { errorResponses, FINDINGS_PAGE_SCHEMA, FINDINGS_QUERY_SCHEMA } from './schemas.js';

const KNOWN_PARAMETERS = new Set(Object.keys(FINDINGS_QUERY_SCHEMA.properties));
/** A name this plain is repeated in the answer; anything else could be request content (PII) and is not. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

/**
 * A mistyped filter must not quietly widen the answer, so an unknown
 * parameter is a 400 naming it. The schema (additionalProperties: false)
 * refuses it too; checking first gives the answer the parameter's name.
 */
function refuseUnknownParameters(query: unknown): void {
  const unknown = Object.keys((query ?? {}) as Record<string, unknown>).filter(
    (name) => !KNOWN_PARAMETERS.has(name),
  );
  if (unknown.length === 0) return;
  const named = unknown.map((name) => (PLAIN_NAME.test(name) ? `"${name}"` : 'one with an unusual name'));
  throw new HttpError(
    400,
    'bad_request',
    `unknown query parameter ${named.join(', ')}; known: ${[...KNOWN_PARAMETERS].join(', ')}`,
    unknown.map((name) => ({
      pointer: PLAIN_NAME.test(name) ? `/querystring/${name}` : '/querystring',
      reason: 'is not a known query parameter',
    })),
  );
}

/**
 * GET /v1/findings: stored findings, newest rows first by insertion, filtered
 * and paged with the opaque `next_cursor`. Findings are written in batches,
 * so one appears here within the store's flush interval
 * (store.flushIntervalMs) of its event.
 */
export async function findingsRoute(server: FastifyInstance, app: App): Promise<void> {
  server.get<{ Querystring: FindingFilter }>(
    '/v1/findings',
    {
      schema: {
        querystring: FINDINGS_QUERY_SCHEMA,
        response: { 200: FINDINGS_PAGE_SCHEMA, ...errorResponses(400) },
      },
      preValidation: async (request) => refuseUnknownParameters(request.query),
    },
    async (request) => app.store.queryFindings(request.query),
  );
}
