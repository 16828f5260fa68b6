/** A findings filter the store cannot run (bad timestamp, limit or cursor): the caller's mistake, a 400. */
export class InvalidFilterError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidFilterError';
  }
}
