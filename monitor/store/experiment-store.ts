import type { SqlExecutor } from './sql.js';

export interface StoredExperiment {
  id: string;
  definition: unknown;
  created_at: string;
}

/** The definitions of experiments added through the API, one row each. */
export class ExperimentStore {
  constructor(private readonly sql: SqlExecutor) {}

  /** Adds the definition; false when an experiment with this id is already stored. */
  async add(id: string, definition: unknown): Promise<boolean> {
    const { rows } = await this.sql.query<{ id: string }>(
      'INSERT INTO experiments (id, definition) VALUES ($1, $2::json) ON CONFLICT (id) DO NOTHING RETURNING id',
      [id, JSON.stringify(definition)],
    );
    return rows.length === 1;
  }

  async remove(id: string): Promise<boolean> {
    const { rows } = await this.sql.query<{ id: string }>(
      'DELETE FROM experiments WHERE id = $1 RETURNING id',
      [id],
    );
    return rows.length === 1;
  }

  async list(): Promise<StoredExperiment[]> {
    const { rows } = await this.sql.query<{ id: string; definition: unknown; created_at: Date | string }>(
      'SELECT id, definition, created_at FROM experiments ORDER BY id',
    );
    return rows.map((r) => ({
      id: r.id,
      definition: r.definition,
      created_at: new Date(r.created_at).toISOString(),
    }));
  }
}
