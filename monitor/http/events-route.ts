import type { FastifyInstance } from 'fastify';
import type { Mode } from '../../detectors/detector.js';
import type { App } from '../app.js';
import { type BatchItem, BodyError, parseJsonBody, parseNdjsonBody } from '../pipeline/parse-body.js';
import { acceptRawBodies, rawBodyOf } from './raw-body.js';
import { BATCH_RESULT_SCHEMA, errorResponses } from './schemas.js';

export const NDJSON = 'application/x-ndjson';
export const JSON_TYPE = 'application/json';

const MODES: Mode[] = ['observe', 'enforce', 'redact'];

/** What Retry-After tells a producer refused while the store catches up. */
const BACKLOG_RETRY_SECONDS = 10;

/**
 * POST /v1/events: a JSON array, a single JSON object, or NDJSON, checked by
 * the pipeline in the mode asked for. A bad event never fails the batch: it
 * gets its own `rejected` result with a `malformed` (or unknown contract)
 * finding. Only a body that cannot be read at all is refused whole.
 * Findings reach the store within the writer's flush interval.
 */
export async function eventsRoute(server: FastifyInstance, app: App): Promise<void> {
  acceptRawBodies(server, [JSON_TYPE, NDJSON], app.config.server.bodyLimitBytes);
  const maxBatch = app.config.server.maxBatch;

  server.post<{ Querystring: { mode: Mode } }>(
    '/v1/events',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { mode: { type: 'string', enum: MODES, default: 'observe' } },
        },
        response: { 200: BATCH_RESULT_SCHEMA, ...errorResponses(400, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      // Before the batch is checked: events whose findings could not be kept are not accepted at all.
      const backlog = app.backlog();
      if (backlog) {
        return reply
          .code(503)
          .header('retry-after', String(BACKLOG_RETRY_SECONDS))
          .send({ error: 'store_backlog', message: `${backlog}; retry after ${BACKLOG_RETRY_SECONDS} s` });
      }
      const raw = rawBodyOf(request.body);
      if (!raw) throw new BodyError('empty_body', 'the body is empty');
      const items: BatchItem[] =
        raw.mediaType === NDJSON ? parseNdjsonBody(raw.text, maxBatch) : parseJsonBody(raw.text, maxBatch);
      try {
        await app.pipeline.prepare(items);
      } catch (err) {
        // The consent ledger reads the batch's users from the store; without them the batch cannot be judged.
        request.log.warn({ err }, 'the batch could not be prepared: the store is unreachable');
        return reply
          .code(503)
          .header('retry-after', String(BACKLOG_RETRY_SECONDS))
          .send({
            error: 'store_unavailable',
            message: `the store cannot be read to check consent; nothing of the batch was accepted; retry after ${BACKLOG_RETRY_SECONDS} s`,
          });
      }
      return app.pipeline.processBatch(items, { mode: request.query.mode, source: 'http' });
    },
  );
}
