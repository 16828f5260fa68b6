/**
 * SQLSTATE classes that say the data itself is refused, so retrying the same
 * row cannot succeed: data exceptions (22), integrity constraints (23), and
 * program limits (54, e.g. an index row too large for a very long id).
 * Everything else (no code: a refused or cut connection, a timeout; 08
 * connection, 40 deadlock or serialization, 53 resources, 57 shutdown, 42 a
 * schema problem an operator must fix) is the store failing, not the row: it
 * is retried, and must never drop data.
 */
const DATA_ERROR_CLASSES = new Set(['22', '23', '54']);

/** True when the database refused the data (bad value, constraint, size), not when it could not take it. */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DATA_ERROR_CLASSES.has(code.slice(0, 2));
}
