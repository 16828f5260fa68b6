import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { BodyError } from '../pipeline/parse-body.js';
import { ContractError } from '../registry/contract-error.js';
import { InvalidFilterError } from '../store/invalid-filter-error.js';
import { answerFor, registerErrorHandling } from './error-handler.js';

describe('answerFor', () => {
  it('maps earshot errors to their status and code', () => {
    expect(answerFor(new BodyError('malformed_json', 'bad'))).toEqual({
      status: 400,
      body: { error: 'malformed_json', message: 'bad' },
    });
    expect(answerFor(new BodyError('batch_too_large', 'big'))?.status).toBe(413);
    const problems = [{ pointer: '/a', reason: 'r' }];
    expect(answerFor(new ContractError('m', 'incompatible_contract', problems))).toEqual({
      status: 409,
      body: { error: 'incompatible_contract', message: 'm', details: problems },
    });
    expect(answerFor(new ContractError('m', 'invalid_contract', problems))?.status).toBe(400);
    expect(answerFor(new InvalidFilterError('cursor', 'bad cursor'))).toEqual({
      status: 400,
      body: {
        error: 'bad_request',
        message: 'bad cursor',
        details: [{ pointer: '/querystring/cursor', reason: 'bad cursor' }],
      },
    });
  });

  it('answers unexpected errors with null (a 500)', () => {
    expect(answerFor(new Error('boom'))).toBeNull();
    expect(answerFor(Object.assign(new Error('x'), { statusCode: 502 }))).toBeNull();
  });
});

describe('registerErrorHandling', () => {
  it('answers an unexpected error as a 500 without its message, and logs it', async () => {
    const lines: string[] = [];
    const logger = createLogger('error', { write: (s: string) => lines.push(s) });
    const server = Fastify({ loggerInstance: logger as FastifyBaseLogger });
    registerErrorHandling(server);
    server.get('/boom', async () => {
      throw new Error('failed on jane@example.com');
    });
    const res = await server.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal', message: 'internal error' });
    expect(lines.some((l) => l.includes('request failed'))).toBe(true);
    await server.close();
  });
});
