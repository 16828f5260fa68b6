import type { ContractProblem } from '../registry/contract-error.js';

/**
 * An error a route answers on purpose: status, machine-readable code and a
 * message written by earshot (never copied from the request).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ContractProblem[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', `${what} not found`);
