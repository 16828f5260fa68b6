import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { EXPERIMENT_ID } from '../../detectors/holdout/experiment-config.js';
import type { ExperimentView } from '../../detectors/holdout/holdout-detector.js';
import type { App } from '../app.js';
import { BodyError } from '../pipeline/parse-body.js';
import { HttpError, notFound } from './http-error.js';
import { acceptRawBodies, rawBodyOf } from './raw-body.js';
import { errorResponses } from './schemas.js';

const ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

const INTERVAL = {
  type: 'object',
  properties: {
    estimate: { type: 'number' },
    standardError: { type: 'number' },
    lower: { type: 'number' },
    upper: { type: 'number' },
    pValue: { type: 'number' },
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
          expectedShare: { type: 'number' },
          units: { type: 'integer' },
          share: { type: ['number', 'null'] },
        },
      },
    },
    srm: {
      type: 'object',
      properties: {
        chiSquare: { type: 'number' },
        df: { type: 'number' },
        pValue: { type: 'number' },
        deviation: { type: 'number' },
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
                df: { type: 'number' },
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

/** "metrics[0].type: must be ..." -> { pointer: "/metrics/0/type", reason: "must be ..." }. */
function problem(error: string): { pointer: string; reason: string } {
  const at = error.indexOf(': ');
  const key = at < 0 ? '' : error.slice(0, at);
  const pointer = key.startsWith('(') ? '/' : `/${key.replace(/\[(\d+)\]/g, '.$1').replace(/\./g, '/')}`;
  return { pointer, reason: at < 0 ? error : error.slice(at + 2) };
}

const YAML_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];

/** The body as a document: JSON, or YAML as the config file writes experiments. Parser messages are not echoed (they quote the body). */
function parseDefinition(body: unknown): unknown {
  const raw = rawBodyOf(body);
  if (!raw || raw.text.trim() === '') throw new BodyError('empty_body', 'the body is empty');
  if (YAML_TYPES.includes(raw.mediaType)) {
    try {
      return parseYaml(raw.text, { maxAliasCount: 100 });
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
      if (!view)
        throw notFound(
          `experiment ${new RegExp(EXPERIMENT_ID).test(req.params.id) ? req.params.id : '(invalid id)'}`,
        );
      return view;
    },
  );

  server.post(
    '/v1/experiments',
    { schema: { response: { 200: EXPERIMENT, 201: EXPERIMENT, ...errorResponses(400, 409, 413, 415) } } },
    async (req, reply) => {
      const added = await app.addExperiment(parseDefinition(req.body));
      if (!added.ok) {
        if (added.reason === 'conflict') throw new HttpError(409, 'conflict', added.message);
        const details = added.errors.map(problem);
        throw new HttpError(
          400,
          'invalid_experiment',
          `the experiment is invalid: ${added.errors.join('; ')}`,
          details,
        );
      }
      reply.code(added.created ? 201 : 200);
      return added.experiment;
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
