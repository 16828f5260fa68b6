/** One reason a contract is refused, at a JSON pointer into the contract or its schema. */
export interface ContractProblem {
  pointer: string;
  reason: string;
}

/**
 * A contract that is refused: its file breaks the contract format, its schema
 * does not compile, or it breaks the compatibility it declares.
 * `code` maps to the HTTP status (invalid -> 400, conflict -> 409).
 */
export class ContractError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid_contract' | 'incompatible_contract' | 'version_exists',
    readonly problems: ContractProblem[],
    readonly source?: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}
