/** The spool file reached its limit: the unit was not accepted, and ingestion should refuse until it drains. */
export class SpoolFullError extends Error {
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`the spool is full: ${bytes} of ${maxBytes} bytes wait for the store`);
    this.name = 'SpoolFullError';
  }
}
