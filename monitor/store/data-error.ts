/** SQLSTATE classes that say the data itself is refused: retrying the same row cannot succeed. */
const DATA_ERROR_CLASSES = new Set(['22', '23']);

/** True when the database refused the data (bad value, constraint), not when it could not be reached. */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DATA_ERROR_CLASSES.has(code.slice(0, 2));
}
