/** The few operations the store needs from a database; one implementation per driver. */
export interface SqlQueryable {
  /** One statement with `$1`-style parameters. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** One or more statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Rows in COPY's text format (see copy-text.ts) into `table`'s `columns`: the fastest way in for many rows. */
  copyIn(table: string, columns: readonly string[], rows: string): Promise<void>;
}

export interface SqlExecutor extends SqlQueryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Safe to call twice. */
  close(): Promise<void>;
}
