import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import type { App } from '../app.js';
import { BodyError } from '../pipeline/parse-body.js';
import type { Contract } from '../registry/contract.js';
import { ContractError } from '../registry/contract-error.js';
import { toContract } from '../registry/parse-contract.js';
import { notFound } from './http-error.js';
import { acceptRawBodies, type RawBody, rawBodyOf } from './raw-body.js';
import {
  CONTRACT_DOCUMENT_SCHEMA,
  CONTRACT_HISTORY_ENTRY_SCHEMA,
  CONTRACT_SUMMARY_SCHEMA,
  errorResponses,
  PUBLISH_RESULT_SCHEMA,
} from './schemas.js';

const YAML_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml'];

const NAME_PARAMS = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

const VERSION_PARAMS = {
  type: 'object',
  required: ['name', 'version'],
  properties: { ...NAME_PARAMS.properties, version: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

function summary(app: App, name: string) {
  const versions = app.registry.versions(name);
  const active = versions.filter((c) => c.status === 'active');
  return {
    name,
    versions: versions.map((c) => ({
      version: c.version,
      status: c.status,
      compatibility: c.compatibility,
      owner: c.owner,
    })),
    latest_active: active.at(-1)?.version ?? null,
  };
}

/**
 * The body as a parsed document. Parse errors are reported by position only:
 * the YAML library's own messages quote the offending source lines.
 */
function parseDocument(raw: RawBody): unknown {
  if (raw.text.trim() === '') throw new BodyError('empty_body', 'the body is empty');
  if (YAML_TYPES.includes(raw.mediaType)) {
    try {
      return parseYaml(raw.text, { maxAliasCount: 100, logLevel: 'error' });
    } catch (err) {
      const pos = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      throw new ContractError('the contract is not valid YAML', 'invalid_contract', [
        { pointer: '/', reason: `not valid YAML${where}` },
      ]);
    }
  }
  try {
    return JSON.parse(raw.text);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new BodyError('malformed_json', `the body is not valid JSON${pos ? ` (at position ${pos})` : ''}`);
  }
}

/**
 * The contract registry over HTTP: list, read, publish. A published version
 * is checked against its declared compatibility, recorded in the store and
 * applies to the next event.
 */
export async function contractsRoute(server: FastifyInstance, app: App): Promise<void> {
  acceptRawBodies(server, ['application/json', ...YAML_TYPES], app.config.server.bodyLimitBytes);

  server.get(
    '/v1/contracts',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['contracts'],
            properties: { contracts: { type: 'array', items: CONTRACT_SUMMARY_SCHEMA } },
          },
        },
      },
    },
    async () => ({ contracts: app.registry.names().map((name) => summary(app, name)) }),
  );

  server.get<{ Params: { name: string } }>(
    '/v1/contracts/:name',
    {
      schema: {
        params: NAME_PARAMS,
        response: {
          200: {
            ...CONTRACT_SUMMARY_SCHEMA,
            required: [...CONTRACT_SUMMARY_SCHEMA.required, 'history'],
            properties: {
              ...CONTRACT_SUMMARY_SCHEMA.properties,
              history: { type: 'array', items: CONTRACT_HISTORY_ENTRY_SCHEMA },
            },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const { name } = request.params;
      if (app.registry.versions(name).length === 0) throw notFound('contract');
      return { ...summary(app, name), history: await app.store.contractHistory(name) };
    },
  );

  server.get<{ Params: { name: string; version: string } }>(
    '/v1/contracts/:name/:version',
    {
      schema: {
        params: VERSION_PARAMS,
        response: { 200: CONTRACT_DOCUMENT_SCHEMA, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const contract = app.registry.get(request.params.name, request.params.version);
      if (!contract) throw notFound('contract version');
      return contract;
    },
  );

  server.post(
    '/v1/contracts',
    {
      schema: {
        response: {
          200: PUBLISH_RESULT_SCHEMA,
          201: PUBLISH_RESULT_SCHEMA,
          ...errorResponses(400, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const raw = rawBodyOf(request.body);
      if (!raw) throw new BodyError('empty_body', 'the body is empty');
      const contract: Contract = toContract(parseDocument(raw));
      // The same content again is not a conflict: answer it like the first time, minus the 201.
      const existed = app.registry.get(contract.contract, contract.version) !== undefined;
      const report = await app.publishContract(contract);
      const previous = report.against.find((a) => a.version === report.previous);
      reply.code(existed ? 200 : 201);
      return {
        contract: contract.contract,
        version: contract.version,
        status: contract.status,
        ...report,
        changes: previous?.changes ?? [],
      };
    },
  );
}
