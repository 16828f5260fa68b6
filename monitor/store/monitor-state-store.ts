import type { MonitorSnapshot } from '../../detectors/detector.js';
import type { SqlExecutor } from './sql.js';

/**
 * Snapshots of windowed detectors' state, one row per detector and
 * contract, replaced whole at each save. A snapshot is only ever read back
 * by the detector that wrote it.
 */
export class MonitorStateStore {
  constructor(private readonly sql: SqlExecutor) {}

  /** Replaces the detector's snapshots with these, in one transaction (contracts no longer monitored are dropped). */
  async save(detector: string, snapshots: readonly MonitorSnapshot[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query('DELETE FROM monitor_state WHERE detector = $1', [detector]);
      for (const s of snapshots) {
        // The state goes as text: one parameter per row, whatever its size (an embedding window is megabytes).
        await tx.query('INSERT INTO monitor_state (detector, contract, state) VALUES ($1, $2, $3::jsonb)', [
          detector,
          s.contract,
          JSON.stringify(s.state),
        ]);
      }
    });
  }

  async load(detector: string): Promise<MonitorSnapshot[]> {
    const { rows } = await this.sql.query<{ contract: string; state: unknown }>(
      'SELECT contract, state FROM monitor_state WHERE detector = $1 ORDER BY contract',
      [detector],
    );
    return rows;
  }
}
