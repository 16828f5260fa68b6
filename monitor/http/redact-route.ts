import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { checkShape } from '../pipeline/check-shape.js';
import type { ConversationEvent } from '../pipeline/envelope.js';
import { BodyError, parseJsonBody } from '../pipeline/parse-body.js';
import { JSON_TYPE } from './events-route.js';
import { HttpError } from './http-error.js';
import { acceptRawBodies, rawBodyOf } from './raw-body.js';
import { errorResponses, REDACT_RESULT_SCHEMA } from './schemas.js';

/** `{ "text": "..." }` and nothing else is a text; any other object is an event. */
function isTextRequest(body: Record<string, unknown>): body is { text: string } {
  const keys = Object.keys(body);
  return keys.length === 1 && keys[0] === 'text';
}

/**
 * POST /v1/redact: `{text}` answers the text with every entity found
 * rewritten by the configured operators, and the entities (type, start, end,
 * score; offsets into the original text). Any other JSON object is taken as
 * an event: it is redacted under its contract's governance when it names one
 * the registry knows, and every string in it is scanned either way. Nothing
 * is stored and no finding is raised: this is a service for pipelines that
 * redact before they forward.
 */
export async function redactRoute(server: FastifyInstance, app: App): Promise<void> {
  acceptRawBodies(server, [JSON_TYPE], app.config.server.bodyLimitBytes);

  server.post(
    '/v1/redact',
    { schema: { response: { 200: REDACT_RESULT_SCHEMA, ...errorResponses(400, 413, 415) } } },
    async (request) => {
      const raw = rawBodyOf(request.body);
      if (!raw) throw new BodyError('empty_body', 'the body is empty');
      const [item] = parseJsonBody(raw.text, Number.POSITIVE_INFINITY);
      const value = item?.ok ? item.value : undefined;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new HttpError(
          400,
          'invalid_body',
          'the body must be a JSON object: {"text": "..."} or one event',
        );
      }
      const body = value as Record<string, unknown>;
      const redactor = app.detectors.redactor;
      if (isTextRequest(body)) {
        if (typeof body.text !== 'string') throw new HttpError(400, 'invalid_body', 'text must be a string');
        const { text, entities } = redactor.text(body.text);
        return { redacted: text, entities };
      }
      // Depth and node limits only: one long text is what this route is for.
      const problem = checkShape(body, { ...app.config.limits, maxStringLength: Number.POSITIVE_INFINITY });
      if (problem) throw new HttpError(400, 'invalid_body', problem);
      const event = body as ConversationEvent;
      const fields = app.config.envelope;
      const type = event[fields.event_type];
      const version = event[fields.schema_version];
      const resolution =
        typeof type === 'string'
          ? app.registry.resolve(type, typeof version === 'string' ? version : null)
          : null;
      const contract = resolution?.ok ? resolution.resolved.contract : null;
      const { event: redacted, entities } = redactor.event(event, contract);
      return {
        redacted,
        entities,
        contract: contract ? { name: contract.contract, version: contract.version } : null,
      };
    },
  );
}
