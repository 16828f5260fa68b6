import type { FastifyInstance } from 'fastify';
import type { Mode } from '../../detectors/detector.js';
import type { App } from '../app.js';
import { type BatchItem, BodyError, parseJsonBody, parseNdjsonBody } from '../pipeline/parse-body.js';
import { acceptRawBodies, rawBodyOf } from './raw-body.js';
import { BATCH_RESULT_SCHEMA, errorResponses } from './schemas.js';

export const NDJSON = 'application/x-ndjson';
export const JSON_TYPE = 'application/json';

const MODES: Mode[] = ['observe', 'enforce', 'redact'];

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
        response: { 200: BATCH_RESULT_SCHEMA, ...errorResponses(400, 413, 415) },
      },
    },
    async (request) => {
      const raw = rawBodyOf(request.body);
      if (!raw) throw new BodyError('empty_body', 'the body is empty');
      const items: BatchItem[] =
        raw.mediaType === NDJSON ? parseNdjsonBody(raw.text, maxBatch) : parseJsonBody(raw.text, maxBatch);
      await app.pipeline.prepare(items);
      return app.pipeline.processBatch(items, { mode: request.query.mode, source: 'http' });
    },
  );
}
