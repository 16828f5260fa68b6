import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import type { ExperimentView } from '../../detectors/holdout/holdout-detector.js';
import type { ExperimentProblem } from '../../detectors/holdout/parse-experiment.js';
import type { App } from '../app.js';
import { safeToken } from '../findings/safe-token.js';
import { BodyError } from '../pipeline/parse-body.js';
import { HttpError, notFound } from './http-error.js';
import { acceptRawBodies, rawBodyOf } from './raw-body.js';
import { errorResponses } from './schemas.js';

const ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** A statistic: null where it is not a finite number (a variance of 0 early on, a NaN from a degenerate arm). */
const NUM = { type: ['number', 'null'] } as const;

const INTERVAL = {
  type: 'object',
  properties: {
    estimate: NUM,
    standardError: NUM,
    lower: NUM,
    upper: NUM,
    pValue: NUM,
  },
} as const;

const LIFT_READING = {
  type: ['object', 'null'],
  properties: { fixed: INTERVAL, sequential: INTERVAL },
} as const;

const RESULT = {
  type: ['object', 'null'],
  properties: {
    id: { type: 'string' },
    evaluatedAt: { type: 'string' },
    units: {
      type: 'object',
      properties: { total: { type: 'integer' }, crossed: { type: 'integer' }, pending: { type: 'integer' } },
    },
    arms: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          arm: { type: 'string' },
          expectedShare: NUM,
          units: { type: 'integer' },
          share: { type: ['number', 'null'] },
        },
      },
    },
    srm: {
      type: 'object',
      properties: {
        chiSquare: NUM,
        df: NUM,
        pValue: NUM,
        deviation: NUM,
        mismatch: { type: 'boolean' },
      },
    },
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          type: { type: 'string' },
          arms: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                arm: { type: 'string' },
                units: { type: 'integer' },
                withOutcome: { type: 'integer' },
                mean: { type: ['number', 'null'] },
                variance: { type: ['number', 'null'] },
              },
            },
          },
          comparisons: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                arm: { type: 'string' },
                control: { type: 'string' },
                absolute: LIFT_READING,
                relative: LIFT_READING,
                df: NUM,
                cuped: { type: 'boolean' },
                verdict: { enum: ['collecting', 'untrusted', 'positive', 'negative', 'inconclusive'] },
              },
            },
          },
        },
      },
    },
  },
} as const;

const EXPERIMENT = {
  type: 'object',
  required: ['id', 'source', 'definition', 'result', 'reading'],
  properties: {
    id: { type: 'string' },
    description: { type: 'string' },
    source: { enum: ['config', 'api'] },
    definition: { type: 'object', additionalProperties: true },
    events: {
      type: 'object',
      properties: {
        exposures: { type: 'object', additionalProperties: { type: 'integer' } },
        outcomes: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
    memory: {
      type: 'object',
      properties: { bytes: { type: 'integer' }, outcomeEntries: { type: 'integer' } },
    },
    result: RESULT,
    error: { type: ['string', 'null'] },
    reading: { type: 'array', items: { type: 'string' } },
  },
} as const;

const LIST = {
  type: 'object',
  required: ['experiments'],
  properties: {
    experiments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          description: { type: 'string' },
          source: { enum: ['config', 'api'] },
          units: { type: 'integer' },
          srm: { type: 'boolean' },
          verdicts: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                metric: { type: 'string' },
                arm: { type: 'string' },
                verdict: { type: 'string' },
              },
            },
          },
          reading: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

/** The value with every non-finite number as null: JSON has no NaN or Infinity, and the serializer refuses them. */
function finite<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? value : null) as T;
  if (Array.isArray(value)) return value.map(finite) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finite(v)])) as T;
  }
  return value;
}

function summary(v: ExperimentView) {
  return {
    id: v.id,
    description: v.description,
    source: v.source,
    units: v.result?.units.total ?? 0,
    srm: v.result?.srm.mismatch ?? false,
    verdicts: (v.result?.metrics ?? []).flatMap((m) =>
      m.comparisons.map((c) => ({ metric: m.name, arm: c.arm, verdict: c.verdict })),
    ),
    reading: v.reading,
  };
}

/** A problem as the error format gives it: a JSON pointer (keys from the request shown as safe tokens) and a reason. */
function problem(p: ExperimentProblem): { pointer: string; reason: string } {
  const parts = p.path.map((k) =>
    typeof k === 'number' ? String(k) : safeToken(k).replace(/~/g, '~0').replace(/\//g, '~1'),
  );
  return { pointer: `/${parts.join('/')}`, reason: p.reason };
}

const YAML_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];

/** The body as a document: JSON, or YAML as the config file writes experiments. Parser messages are not echoed (they quote the body). */
function parseDefinition(body: unknown): unknown {
  const raw = rawBodyOf(body);
  if (!raw || raw.text.trim() === '') throw new BodyError('empty_body', 'the body is empty');
  if (YAML_TYPES.includes(raw.mediaType)) {
    try {
      return parseYaml(raw.text, { maxAliasCount: 100, logLevel: 'error' });
    } catch {
      throw new HttpError(400, 'malformed_yaml', 'the body is not valid YAML');
    }
  }
  try {
    return JSON.parse(raw.text);
  } catch {
    throw new BodyError('malformed_json', 'the body is not valid JSON');
  }
}

/**
 * The experiments API. GET /v1/experiments lists every experiment with its
 * verdicts; GET /v1/experiments/:id answers its numbers as of the last
 * evaluation and a plain-language reading; POST /v1/experiments adds one
 * (201, or 200 when the same definition is already there; 409 for another
 * definition under a used id); DELETE /v1/experiments/:id removes one added
 * through the API (an experiment of the config file stays: 409).
 */
export async function experimentsRoute(server: FastifyInstance, app: App): Promise<void> {
  acceptRawBodies(server, ['application/json', ...YAML_TYPES], app.config.server.bodyLimitBytes);
  const holdout = app.detectors.holdout;
  server.get('/v1/experiments', { schema: { response: { 200: LIST } } }, async () => ({
    experiments: holdout.list().map(summary),
  }));

  server.get<{ Params: { id: string } }>(
    '/v1/experiments/:id',
    { schema: { params: ID_PARAMS, response: { 200: EXPERIMENT, ...errorResponses(404) } } },
    async (req) => {
      const view = holdout.get(req.params.id);
      if (view) return finite(view);
      // An id that is not a plain token is shown as its salted hash: it could be personal data.
      throw notFound(`experiment ${safeToken(req.params.id)}`);
    },
  );

  server.post(
    '/v1/experiments',
    { schema: { response: { 200: EXPERIMENT, 201: EXPERIMENT, ...errorResponses(400, 409, 413, 415) } } },
    async (req, reply) => {
      const added = await app.addExperiment(parseDefinition(req.body));
      if (!added.ok) {
        if (added.reason === 'conflict') throw new HttpError(409, 'conflict', added.message);
        const details = added.problems.map(problem);
        throw new HttpError(
          400,
          'invalid_experiment',
          `the experiment is invalid: ${added.errors.join('; ')}`,
          details,
        );
      }
      reply.code(added.created ? 201 : 200);
      return finite(added.experiment);
    },
  );

  server.delete<{ Params: { id: string } }>(
    '/v1/experiments/:id',
    { schema: { params: ID_PARAMS, response: { ...errorResponses(404, 409) } } },
    async (req, reply) => {
      const removed = await app.removeExperiment(req.params.id);
      if (removed === 'config') {
        throw new HttpError(
          409,
          'conflict',
          `experiment ${req.params.id} is defined in the config file; remove it there`,
        );
      }
      if (removed === 'not_found') throw notFound('experiment');
      reply.code(204);
      return null;
    },
  );
}
