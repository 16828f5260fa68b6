import type { ConsentCheck } from '../../detectors/consent/consent-detector.js';
import type { ConsentRecord } from '../../detectors/consent/consent-record.js';
import { isMadeRecordId } from '../../detectors/consent/safe-record-id.js';
import { saltedHash } from '../findings/safe-token.js';
import { copyText } from './copy-text.js';
import { storableJsonText } from './sanitize.js';
import type { SqlExecutor, SqlQueryable } from './sql.js';

/** Rows per COPY, and per audit entry. */
const CHUNK = 5000;

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const RECORD_COLUMNS = `record_id, user_id, purpose, status, ${iso('occurred_at')} AS occurred_at,
  consent_version, source, lawful_basis, region, gpc, consent_mode,
  CASE WHEN expires_at IS NULL THEN NULL ELSE ${iso('expires_at')} END AS expires_at`;

type RecordRow = Omit<ConsentRecord, 'occurred_ms' | 'expires_ms'>;

function toRecord(row: RecordRow): ConsentRecord {
  return {
    ...row,
    occurred_ms: Date.parse(row.occurred_at),
    expires_ms: row.expires_at === null ? undefined : Date.parse(row.expires_at),
  };
}

/*
 * Records go in through a staging table: COPY fills it (ON COMMIT DELETE
 * ROWS empties it), then one INSERT moves the rows the ledger lacks, first
 * row first, so the first of two rows with one record_id wins. COPY itself
 * cannot skip a duplicate. A temporary table belongs to its connection, so
 * two batches written at once never share one.
 */
const RECORD_STAGE = 'earshot_consent_records_stage';
const RECORD_FIELDS = [
  'record_id',
  'user_id',
  'purpose',
  'status',
  'occurred_at',
  'consent_version',
  'source',
  'lawful_basis',
  'region',
  'gpc',
  'consent_mode',
  'expires_at',
] as const;
const CREATE_RECORD_STAGE = `
CREATE TEMP TABLE IF NOT EXISTS ${RECORD_STAGE} (
  ord bigint GENERATED ALWAYS AS IDENTITY, record_id text, user_id text, purpose text, status text,
  occurred_at timestamptz, consent_version text, source text, lawful_basis text, region text, gpc boolean,
  consent_mode jsonb, expires_at timestamptz
) ON COMMIT DELETE ROWS`;
const INSERT_STAGED_RECORDS = `
INSERT INTO consent_records (${RECORD_FIELDS.join(', ')})
SELECT ${RECORD_FIELDS.join(', ')} FROM ${RECORD_STAGE} ORDER BY ord
ON CONFLICT (record_id) DO NOTHING
RETURNING record_id`;

const recordFields = (r: ConsentRecord) => [
  r.record_id,
  r.user_id,
  r.purpose,
  r.status,
  r.occurred_at,
  r.consent_version,
  r.source,
  r.lawful_basis,
  r.region,
  r.gpc,
  r.consent_mode === null ? null : storableJsonText(r.consent_mode),
  r.expires_at,
];

const CHECK_FIELDS = [
  'event_id',
  'occurred_at',
  'contract',
  'version',
  'purpose',
  'channel',
  'user_id',
  'outcome',
  'record_id',
  'detected_at',
] as const;

const checkFields = (c: ConsentCheck) => [
  c.event_id,
  c.occurred_at,
  c.contract,
  c.version,
  c.purpose,
  c.channel,
  c.user_id,
  c.outcome,
  c.record_id,
  c.detected_at,
];

/** A consent check as stored, for a data subject's access request. */
export type StoredConsentCheck = Omit<ConsentCheck, 'user_id' | 'detected_at'>;

/** Counts of checks in a period by purpose, channel and outcome. */
export interface CheckCount {
  purpose: string;
  channel: string | null;
  outcome: string;
  n: number;
}

export interface AffectedCount {
  /** null in the row of the whole period. */
  purpose: string | null;
  channel: string | null;
  users: number;
}

/** A check with the user (or their hash, after an erasure) and the ledger record that applied. */
export interface EvidenceQueryRow extends StoredConsentCheck {
  user_id: string;
  user_erased: boolean;
  record_status: string | null;
  record_occurred_at: string | null;
  consent_version: string | null;
  source: string | null;
  lawful_basis: string | null;
  region: string | null;
}

export interface WithdrawalQueryRow {
  record_id: string;
  /** The user id, or its salted hash once the user is erased. */
  user_id: string;
  user_erased: boolean;
  purpose: string;
  withdrawn_at: string;
  events_after: number;
}

/** What one write added: ledger records, violations found, or an erasure carried out. */
export interface ConsentAppended {
  records: readonly ConsentRecord[];
  violations: readonly ConsentCheck[];
  erasure?: { user_hash: string; records_pseudonymized: number; checks_pseudonymized: number };
}

/** Hook for each batch of records or violations written, inside its transaction (the audit log). */
export type ConsentAppendHook = (tx: SqlQueryable, what: ConsentAppended) => Promise<void>;

/**
 * The consent ledger, the per-event consent checks and erasures in
 * PostgreSQL or PGlite. Writes are batched (a COPY per few thousand rows)
 * and idempotent for records (record_id).
 */
export class ConsentStore {
  private onAppend: ConsentAppendHook | null = null;

  constructor(private readonly sql: SqlExecutor) {}

  /** Called with what each write added, in the same transaction (the audit log chains it). */
  setAppendHook(hook: ConsentAppendHook | null): void {
    this.onAppend = hook;
  }

  /** Records the records the ledger lacks; returns how many were new. Duplicates (same record_id) are skipped. */
  async insertRecords(records: readonly ConsentRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    return this.sql.transaction((tx) => this.insertRecordsIn(tx, records));
  }

  /** insertRecords inside a transaction the caller holds (a write unit). */
  async insertRecordsIn(tx: SqlQueryable, records: readonly ConsentRecord[]): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < records.length; i += CHUNK) {
      const chunk = records.slice(i, i + CHUNK);
      if (i === 0) await tx.query(CREATE_RECORD_STAGE);
      else await tx.query(`TRUNCATE ${RECORD_STAGE}`);
      await tx.copyIn(RECORD_STAGE, RECORD_FIELDS, copyText(chunk, recordFields));
      const { rows } = await tx.query<{ record_id: string }>(INSERT_STAGED_RECORDS);
      inserted += rows.length;
      if (this.onAppend && rows.length > 0) {
        const fresh = new Set(rows.map((r) => r.record_id));
        await this.onAppend(tx, { records: chunk.filter((r) => fresh.has(r.record_id)), violations: [] });
      }
    }
    return inserted;
  }

  /** Every record of these users. */
  async loadRecords(userIds: readonly string[]): Promise<ConsentRecord[]> {
    if (userIds.length === 0) return [];
    const { rows } = await this.sql.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM consent_records WHERE user_id = ANY($1::text[]) AND NOT user_erased`,
      [userIds],
    );
    return rows.map(toRecord);
  }

  async insertChecks(checks: readonly ConsentCheck[]): Promise<void> {
    if (checks.length === 0) return;
    await this.sql.transaction((tx) => this.insertChecksIn(tx, checks));
  }

  /** insertChecks inside a transaction the caller holds (a write unit). */
  async insertChecksIn(tx: SqlQueryable, checks: readonly ConsentCheck[]): Promise<void> {
    for (let i = 0; i < checks.length; i += CHUNK) {
      const chunk = checks.slice(i, i + CHUNK);
      await tx.copyIn('consent_checks', CHECK_FIELDS, copyText(chunk, checkFields));
      const violations = chunk.filter((c) => c.outcome !== 'valid');
      if (this.onAppend && violations.length > 0) await this.onAppend(tx, { records: [], violations });
    }
  }

  /** The user's consent records by event time: the timeline of an access request. */
  async timeline(userId: string): Promise<ConsentRecord[]> {
    const { rows } = await this.sql.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM consent_records WHERE user_id = $1 AND NOT user_erased ORDER BY occurred_at, record_id`,
      [userId],
    );
    return rows.map(toRecord);
  }

  /** The user's consent checks that found a violation, newest first, at most `limit`. */
  async violationsOf(userId: string, limit = 1000): Promise<StoredConsentCheck[]> {
    const { rows } = await this.sql.query<StoredConsentCheck>(
      `SELECT event_id, ${iso('occurred_at')} AS occurred_at, contract, version, purpose, channel, outcome, record_id
       FROM consent_checks WHERE user_id = $1 AND outcome <> 'valid' AND NOT user_erased
       ORDER BY occurred_at DESC, seq DESC LIMIT $2`,
      [userId, limit],
    );
    return rows;
  }

  /** Checks in [from, to) counted by purpose, channel and outcome. */
  async countChecks(from: string, to: string): Promise<CheckCount[]> {
    const { rows } = await this.sql.query<CheckCount & { n: string }>(
      `SELECT purpose, channel, outcome, count(*)::text AS n FROM consent_checks
       WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
       GROUP BY purpose, channel, outcome ORDER BY purpose, channel, outcome`,
      [from, to],
    );
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  /** Distinct users with a violation in [from, to): per purpose and channel, and overall (purpose null). */
  async countAffected(from: string, to: string): Promise<AffectedCount[]> {
    const { rows } = await this.sql.query<{ purpose: string | null; channel: string | null; users: string }>(
      `SELECT purpose, channel, count(DISTINCT user_id)::text AS users FROM consent_checks
       WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz AND outcome <> 'valid'
       GROUP BY GROUPING SETS ((purpose, channel), ())`,
      [from, to],
    );
    return rows.map((r) => ({ purpose: r.purpose, channel: r.channel, users: Number(r.users) }));
  }

  /** Checks in [from, to) with the record that applied: violations first, newest first. */
  async evidence(from: string, to: string, limit: number): Promise<EvidenceQueryRow[]> {
    const { rows } = await this.sql.query<EvidenceQueryRow>(
      `SELECT c.event_id, ${iso('c.occurred_at')} AS occurred_at, c.contract, c.version, c.purpose, c.channel,
              c.outcome, c.user_id, c.user_erased, r.record_id, r.status AS record_status,
              CASE WHEN r.occurred_at IS NULL THEN NULL ELSE ${iso('r.occurred_at')} END AS record_occurred_at,
              r.consent_version, r.source, r.lawful_basis, r.region
       FROM consent_checks c LEFT JOIN consent_records r ON r.record_id = c.record_id
       WHERE c.occurred_at >= $1::timestamptz AND c.occurred_at < $2::timestamptz
       ORDER BY (c.outcome = 'valid'), c.occurred_at DESC, c.seq DESC
       LIMIT $3`,
      [from, to, limit],
    );
    return rows;
  }

  /**
   * Proof of stopping: every withdrawal in [from, to), with the events
   * checked for that user and purpose after it, before `to`, and before any
   * new grant (processing after a new grant is lawful again).
   */
  async withdrawals(from: string, to: string): Promise<WithdrawalQueryRow[]> {
    const { rows } = await this.sql.query<WithdrawalQueryRow & { events_after: string }>(
      `SELECT w.record_id, w.user_id, w.user_erased, w.purpose, ${iso('w.occurred_at')} AS withdrawn_at,
         (SELECT count(*) FROM consent_checks c
          WHERE c.user_id = w.user_id AND c.purpose = w.purpose AND c.user_erased = w.user_erased
            AND c.occurred_at >= w.occurred_at AND c.occurred_at < $2::timestamptz
            AND NOT EXISTS (
              SELECT 1 FROM consent_records g
              WHERE g.user_id = w.user_id AND g.user_erased = w.user_erased AND g.purpose = w.purpose AND g.status = 'granted'
                AND g.occurred_at > w.occurred_at AND g.occurred_at <= c.occurred_at))::text AS events_after
       FROM consent_records w
       WHERE w.status = 'withdrawn' AND w.occurred_at >= $1::timestamptz AND w.occurred_at < $2::timestamptz
       ORDER BY w.occurred_at, w.record_id`,
      [from, to],
    );
    return rows.map((r) => ({ ...r, events_after: Number(r.events_after) }));
  }

  /**
   * An erasure request: the user's ledger records are deleted, and the user
   * id in retained checks is replaced by its salted hash, so report counts
   * stay right while nothing links them to the person.
   */
  async erase(
    userId: string,
    userHash: string,
  ): Promise<{ records_pseudonymized: number; checks_pseudonymized: number }> {
    return this.sql.transaction(async (tx) => {
      // Kept under the hash rather than deleted: the proof of stopping still needs the user's withdrawals.
      // Imported record ids may name the user too: each becomes its salted hash, in the checks as well.
      const ids = await tx.query<{ record_id: string }>(
        'SELECT record_id FROM consent_records WHERE user_id = $1 AND NOT user_erased',
        [userId],
      );
      const from: string[] = [];
      const to: string[] = [];
      for (const { record_id } of ids.rows) {
        if (isMadeRecordId(record_id)) continue;
        from.push(record_id);
        to.push(saltedHash(record_id));
      }
      const rename =
        'COALESCE((SELECT m.n FROM unnest($3::text[], $4::text[]) AS m(o, n) WHERE m.o = t.record_id), t.record_id)';
      const records = await tx.query<{ n: string }>(
        `WITH u AS (UPDATE consent_records t SET user_id = $2, user_erased = true, record_id = ${rename}
           WHERE t.user_id = $1 AND NOT t.user_erased RETURNING 1)
         SELECT count(*)::text AS n FROM u`,
        [userId, userHash, from, to],
      );
      const pseudo = await tx.query<{ n: string }>(
        `WITH u AS (UPDATE consent_checks t SET user_id = $2, user_erased = true, record_id = ${rename}
           WHERE t.user_id = $1 AND NOT t.user_erased RETURNING 1)
         SELECT count(*)::text AS n FROM u`,
        [userId, userHash, from, to],
      );
      const result = {
        records_pseudonymized: Number(records.rows[0]?.n ?? 0),
        checks_pseudonymized: Number(pseudo.rows[0]?.n ?? 0),
      };
      await tx.query(
        'INSERT INTO consent_erasures (user_hash, records_pseudonymized, checks_pseudonymized) VALUES ($1, $2, $3)',
        [userHash, result.records_pseudonymized, result.checks_pseudonymized],
      );
      await this.onAppend?.(tx, { records: [], violations: [], erasure: { user_hash: userHash, ...result } });
      return result;
    });
  }
}
