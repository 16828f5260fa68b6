import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BodyError } from '../pipeline/parse-body.js';
import { ContractError, type ContractProblem } from '../registry/contract-error.js';
import { InvalidFilterError } from '../store/invalid-filter-error.js';
import { HttpError } from './http-error.js';

/** Every error answer has this shape. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: ContractProblem[];
}

interface Answer {
  status: number;
  body: ErrorBody;
}

const BODY_ERROR_STATUS: Record<BodyError['code'], number> = {
  malformed_json: 400,
  empty_body: 400,
  batch_too_large: 413,
};

const CONTRACT_ERROR_STATUS: Record<ContractError['code'], number> = {
  invalid_contract: 400,
  incompatible_contract: 409,
  version_exists: 409,
};

/** Fastify errors we answer with our own words: theirs may quote the URL or a header. */
const FASTIFY_ERRORS: Record<string, Answer> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    body: { error: 'body_too_large', message: 'the request body is larger than the configured limit' },
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    body: { error: 'unsupported_media_type', message: 'this route does not accept that content type' },
  },
  FST_ERR_BAD_URL: {
    status: 400,
    body: { error: 'bad_request', message: 'the URL is not validly percent-encoded' },
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    body: { error: 'bad_request', message: 'the content length does not match the body' },
  },
};

/** Generic answers by status, for client errors with no mapping of their own. */
const BY_STATUS: Record<number, ErrorBody> = {
  400: { error: 'bad_request', message: 'the request is malformed' },
  404: { error: 'not_found', message: 'not found' },
  405: { error: 'method_not_allowed', message: 'method not allowed' },
  406: { error: 'not_acceptable', message: 'not acceptable' },
  413: { error: 'body_too_large', message: 'the request body is larger than the configured limit' },
  415: { error: 'unsupported_media_type', message: 'this route does not accept that content type' },
  431: { error: 'headers_too_large', message: 'request headers are too large' },
  503: { error: 'unavailable', message: 'the server is shutting down' },
};

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Validation errors as pointers into the request part ("/querystring/limit")
 * with ajv's reason. ajv's reasons name the schema (allowed values, formats,
 * bounds), never the value sent.
 */
function validationDetails(context: string | undefined, errors: AjvLikeError[]): ContractProblem[] {
  const base = `/${context ?? 'request'}`;
  return errors.map((e) => {
    let pointer = `${base}${e.instancePath ?? ''}`;
    if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
      pointer += `/${e.params.missingProperty}`;
    }
    if (e.keyword === 'enum' && Array.isArray(e.params?.allowedValues)) {
      return { pointer, reason: `must be one of ${e.params.allowedValues.join(', ')}` };
    }
    return { pointer, reason: e.message ?? e.keyword ?? 'is invalid' };
  });
}

/** Maps any error a route or Fastify raised to the answer; null means a 500. */
export function answerFor(err: unknown): Answer | null {
  if (err instanceof HttpError) {
    return {
      status: err.statusCode,
      body: { error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
    };
  }
  if (err instanceof BodyError) {
    return { status: BODY_ERROR_STATUS[err.code], body: { error: err.code, message: err.message } };
  }
  if (err instanceof ContractError) {
    return {
      status: CONTRACT_ERROR_STATUS[err.code],
      body: { error: err.code, message: err.message, details: err.problems },
    };
  }
  if (err instanceof InvalidFilterError) {
    return {
      status: 400,
      body: {
        error: 'bad_request',
        message: err.message,
        details: [{ pointer: `/querystring/${err.field}`, reason: err.message }],
      },
    };
  }
  const fe = err as Partial<FastifyError> & { validationContext?: string };
  if (Array.isArray(fe.validation)) {
    const details = validationDetails(fe.validationContext, fe.validation as AjvLikeError[]);
    return {
      status: 400,
      body: {
        error: 'bad_request',
        message: `invalid ${fe.validationContext ?? 'request'}: ${details.map((d) => `${d.pointer} ${d.reason}`).join('; ')}`,
        details,
      },
    };
  }
  if (typeof fe.code === 'string' && FASTIFY_ERRORS[fe.code]) return FASTIFY_ERRORS[fe.code]!;
  const status = fe.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      body: BY_STATUS[status] ?? { error: 'bad_request', message: 'the request was refused' },
    };
  }
  if (status === 503) return { status, body: BY_STATUS[503]! };
  return null;
}

/**
 * The one error handler and the not-found handler: every error is answered
 * as `{error, message, details?}` with its status. Messages are earshot's
 * own, never request content; anything unexpected is a 500 logged with the
 * error and answered without it.
 */
export function registerErrorHandling(server: FastifyInstance): void {
  server.setErrorHandler(handleError);
  server.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: 'not_found', message: 'no such route' } satisfies ErrorBody),
  );
}

/**
 * Answers any error; also Fastify's `frameworkErrors` option (errors raised
 * before routing, e.g. a badly encoded URL, which the error handler never sees).
 */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = answerFor(err);
  if (answer) return reply.code(answer.status).send(answer.body);
  request.log.error({ err, route: request.routeOptions?.url, method: request.method }, 'request failed');
  return reply.code(500).send({ error: 'internal', message: 'internal error' } satisfies ErrorBody);
}
