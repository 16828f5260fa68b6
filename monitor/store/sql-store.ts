import type { FindingKind } from '../findings/finding.js';
import type { Contract } from '../registry/contract.js';
import { AuditLog } from './audit-log.js';
import { auditConsentWrites } from './consent-audit.js';
import { ConsentStore } from './consent-store.js';
import { contentHash } from './contract-hash.js';
import { ExperimentStore } from './experiment-store.js';
import { dedupKey, mergeAggregate } from './finding-aggregate.js';
import { decodeCursor, encodeCursor } from './findings-cursor.js';
import { InvalidFilterError } from './invalid-filter-error.js';
import { MonitorStateStore } from './monitor-state-store.js';
import { isoOrNull, knownSeverity, storableJson, storableText, storableTextOrNull } from './sanitize.js';
import type { SqlExecutor, SqlQueryable } from './sql.js';
import {
  type ContractHistoryEntry,
  type ContractSource,
  type FindingAggregate,
  type FindingFilter,
  MAX_SAMPLE_EVENT_IDS,
  type Store,
  type StoredFinding,
} from './store.js';
import type { WriteUnit } from './write-unit.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** Rows per DELETE when old unit and event ids are pruned. */
const PRUNE_SLICE = 10_000;
/** Rows per INSERT statement; larger writes are split, inside one transaction. */
const ROWS_PER_STATEMENT = 1000;

/** Timestamps leave the database as RFC 3339 UTC text, the same on both drivers. */
const iso = (col: string, precision: 'MS' | 'US' = 'MS') =>
  `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.${precision}"Z"')`;

const SEVERITY_ORDER = `ARRAY['info', 'warning', 'error', 'critical']`;

/*
 * One statement per batch: the rows travel as one jsonb parameter and
 * jsonb_to_recordset turns them back into typed columns. The conflict target
 * is the dedup key (see 0001_init.sql).
 */
const UPSERT_FINDINGS = `
INSERT INTO findings AS f (
  id, detector, kind, severity, contract, version, attribute, window_start, message, evidence,
  event_id, occurred_at, count, first_seen, last_seen, detected_at, sample_event_ids
)
SELECT r.id, r.detector, r.kind, r.severity, r.contract, r.version, r.attribute, r.window_start, r.message,
       r.evidence, r.event_id, r.occurred_at, r.count, r.first_seen, r.last_seen, r.detected_at,
       r.sample_event_ids[1:${MAX_SAMPLE_EVENT_IDS}]
FROM jsonb_to_recordset($1::jsonb) AS r(
  id text, detector text, kind text, severity text, contract text, version text, attribute text,
  window_start timestamptz, message text, evidence jsonb, event_id text, occurred_at timestamptz,
  count bigint, first_seen timestamptz, last_seen timestamptz, detected_at timestamptz, sample_event_ids text[]
)
ON CONFLICT (detector, kind, coalesce(contract, ''), coalesce(version, ''), coalesce(attribute, ''), window_start)
DO UPDATE SET
  count = f.count + excluded.count,
  first_seen = least(f.first_seen, excluded.first_seen),
  last_seen = greatest(f.last_seen, excluded.last_seen),
  severity = CASE
    WHEN array_position(${SEVERITY_ORDER}, excluded.severity) > array_position(${SEVERITY_ORDER}, f.severity)
    THEN excluded.severity ELSE f.severity END,
  message = CASE WHEN excluded.last_seen >= f.last_seen THEN excluded.message ELSE f.message END,
  evidence = CASE WHEN excluded.last_seen >= f.last_seen THEN excluded.evidence ELSE f.evidence END,
  detected_at = CASE WHEN excluded.last_seen >= f.last_seen THEN excluded.detected_at ELSE f.detected_at END,
  event_id = CASE WHEN excluded.last_seen >= f.last_seen AND excluded.event_id IS NOT NULL
    THEN excluded.event_id ELSE f.event_id END,
  occurred_at = CASE WHEN excluded.last_seen >= f.last_seen AND excluded.event_id IS NOT NULL
    THEN excluded.occurred_at ELSE f.occurred_at END,
  sample_event_ids = CASE
    WHEN cardinality(f.sample_event_ids) >= ${MAX_SAMPLE_EVENT_IDS} THEN f.sample_event_ids
    ELSE (f.sample_event_ids || ARRAY(
      SELECT s FROM unnest(excluded.sample_event_ids) WITH ORDINALITY AS u(s, n)
      WHERE s <> ALL (f.sample_event_ids) ORDER BY n
    ))[1:${MAX_SAMPLE_EVENT_IDS}] END`;

const FINDING_COLUMNS = `
  seq::text AS seq, id, detector, kind, severity, contract, version, attribute, message, evidence, event_id,
  ${iso('occurred_at')} AS occurred_at, ${iso('detected_at')} AS detected_at, count,
  ${iso('window_start')} AS window_start, ${iso('first_seen')} AS first_seen, ${iso('last_seen')} AS last_seen,
  ${iso('last_seen', 'US')} AS last_seen_us, sample_event_ids`;

interface FindingRow {
  seq: string;
  id: string;
  detector: string;
  kind: string;
  severity: string;
  contract: string | null;
  version: string | null;
  attribute: string | null;
  message: string;
  evidence: Record<string, unknown> | null;
  event_id: string | null;
  occurred_at: string | null;
  detected_at: string;
  count: number | string | bigint;
  window_start: string;
  first_seen: string;
  last_seen: string;
  last_seen_us: string;
  sample_event_ids: string[] | null;
}

function toStoredFinding(r: FindingRow): StoredFinding {
  return {
    id: r.id,
    detector: r.detector,
    kind: r.kind as FindingKind,
    severity: knownSeverity(r.severity),
    contract: r.contract,
    version: r.version,
    attribute: r.attribute,
    event_id: r.event_id,
    occurred_at: r.occurred_at,
    detected_at: r.detected_at,
    message: r.message,
    evidence: r.evidence ?? {},
    count: Number(r.count),
    window_start: r.window_start,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    sample_event_ids: r.sample_event_ids ?? [],
  };
}

/** The aggregate as it goes into the database: strings storable, timestamps normalized. */
function storable(a: FindingAggregate): FindingAggregate {
  const now = new Date().toISOString();
  const detected = isoOrNull(a.detected_at) ?? now;
  const lastSeen = isoOrNull(a.last_seen) ?? detected;
  return {
    id: storableText(String(a.id)),
    detector: storableText(a.detector),
    kind: storableText(a.kind) as FindingKind,
    severity: knownSeverity(a.severity),
    contract: storableTextOrNull(a.contract),
    version: storableTextOrNull(a.version),
    attribute: storableTextOrNull(a.attribute),
    window_start: isoOrNull(a.window_start) ?? lastSeen,
    message: storableText(a.message),
    evidence: (storableJson(a.evidence ?? {}) ?? {}) as Record<string, unknown>,
    event_id: storableTextOrNull(a.event_id),
    occurred_at: isoOrNull(a.occurred_at),
    count: Math.max(1, Math.floor(Number(a.count) || 1)),
    first_seen: isoOrNull(a.first_seen) ?? lastSeen,
    last_seen: lastSeen,
    detected_at: detected,
    sample_event_ids: (a.sample_event_ids ?? []).map((id) => storableText(String(id))),
  };
}

/** Rows with the same dedup key folded together: one INSERT cannot touch a row twice. */
function foldDuplicates(rows: FindingAggregate[]): FindingAggregate[] {
  const byKey = new Map<string, FindingAggregate>();
  for (const row of rows) {
    const clean = storable(row);
    const key = dedupKey(clean, Date.parse(clean.window_start));
    const seen = byKey.get(key);
    if (seen) mergeAggregate(seen, clean);
    else {
      clean.sample_event_ids = [...new Set(clean.sample_event_ids)].slice(0, MAX_SAMPLE_EVENT_IDS);
      byKey.set(key, clean);
    }
  }
  return [...byKey.values()];
}

/** Folded rows in statements of ROWS_PER_STATEMENT, inside the caller's transaction. */
async function upsertFindings(tx: SqlQueryable, folded: FindingAggregate[]): Promise<void> {
  for (let i = 0; i < folded.length; i += ROWS_PER_STATEMENT) {
    await tx.query(UPSERT_FINDINGS, [JSON.stringify(folded.slice(i, i + ROWS_PER_STATEMENT))]);
  }
}

function timestampFilter(field: 'since' | 'until', value: string): string {
  const t = isoOrNull(value);
  if (!t) throw new InvalidFilterError(field, `${field} must be an RFC 3339 timestamp`);
  return t;
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidFilterError('limit', 'limit must be a positive integer');
  }
  return Math.min(limit, MAX_LIMIT);
}

/** The Store over any SqlExecutor: one SQL dialect for PostgreSQL and PGlite. */
export class SqlStore implements Store {
  readonly kind: 'postgres' | 'pglite';
  readonly consent: ConsentStore;
  readonly audit: AuditLog;
  readonly monitors: MonitorStateStore;
  readonly experiments: ExperimentStore;

  constructor(private readonly sql: SqlExecutor) {
    this.kind = sql.kind;
    this.monitors = new MonitorStateStore(sql);
    this.experiments = new ExperimentStore(sql);
    this.consent = new ConsentStore(sql);
    this.audit = new AuditLog(sql);
    this.consent.setAppendHook(auditConsentWrites(this.audit));
  }

  async writeFindings(rows: FindingAggregate[]): Promise<void> {
    if (rows.length === 0) return;
    const folded = foldDuplicates(rows);
    if (folded.length <= ROWS_PER_STATEMENT) {
      await this.sql.query(UPSERT_FINDINGS, [JSON.stringify(folded)]);
      return;
    }
    // Several statements, one transaction: a failed write changes nothing, so a retry cannot double-count.
    await this.sql.transaction((tx) => upsertFindings(tx, folded));
  }

  async writeUnit(unit: WriteUnit): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const claimed = await tx.query(
        'INSERT INTO write_units (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1',
        [storableText(unit.id)],
      );
      if (claimed.rows.length === 0) return false;
      // Records before checks: a check's record_id names a stored record, and the audit chain lists them in that order.
      await this.consent.insertRecordsIn(tx, unit.records);
      if (unit.findings.length > 0) await upsertFindings(tx, foldDuplicates(unit.findings));
      await this.consent.insertChecksIn(tx, unit.checks);
      if (unit.eventIds.length > 0) {
        await tx.query(
          'INSERT INTO processed_events (event_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING',
          [unit.eventIds.map(storableText)],
        );
      }
      return true;
    });
  }

  async processedEvents(eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const { rows } = await this.sql.query<{ event_id: string }>(
      'SELECT event_id FROM processed_events WHERE event_id = ANY($1::text[])',
      [eventIds.map(storableText)],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  async pruneWriteLog(keep: { unitHours: number; eventMinutes: number }): Promise<number> {
    const before = (ms: number) => new Date(Date.now() - ms).toISOString();
    // In slices, each its own statement: a day of stream event ids is millions of rows, and one
    // DELETE of them all would hold its locks and its WAL for as long.
    const prune = async (table: string, key: string, column: string, cutoff: string) => {
      let total = 0;
      for (;;) {
        const { rows } = await this.sql.query<{ n: number }>(
          `WITH d AS (DELETE FROM ${table} WHERE ${key} IN (
             SELECT ${key} FROM ${table} WHERE ${column} < $1::timestamptz LIMIT ${PRUNE_SLICE}) RETURNING 1)
           SELECT count(*)::int AS n FROM d`,
          [cutoff],
        );
        const n = Number(rows[0]?.n ?? 0);
        total += n;
        if (n < PRUNE_SLICE) return total;
      }
    };
    return (
      (await prune('write_units', 'id', 'applied_at', before(keep.unitHours * 3_600_000))) +
      (await prune('processed_events', 'event_id', 'processed_at', before(keep.eventMinutes * 60_000)))
    );
  }

  /**
   * Newest rows first by insertion (seq descending), paged on seq alone. Not
   * by last_seen: folding a repeat into a row moves its last_seen (and an
   * older repeat moves first_seen), which would carry the row across a
   * cursor between two page requests and skip or repeat it. seq never changes
   * for a row, so every row present when paging starts is seen exactly once.
   */
  async queryFindings(
    filter: FindingFilter,
  ): Promise<{ items: StoredFinding[]; next_cursor: string | null }> {
    const limit = pageSize(filter.limit);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.detector !== undefined) where.push(`detector = ${param(filter.detector)}`);
    if (filter.kind !== undefined) where.push(`kind = ${param(filter.kind)}`);
    if (filter.contract !== undefined) where.push(`contract = ${param(filter.contract)}`);
    if (filter.severity !== undefined) where.push(`severity = ${param(filter.severity)}`);
    if (filter.since !== undefined) {
      where.push(`last_seen >= ${param(timestampFilter('since', filter.since))}::timestamptz`);
    }
    if (filter.until !== undefined) {
      where.push(`first_seen < ${param(timestampFilter('until', filter.until))}::timestamptz`);
    }
    if (filter.cursor !== undefined) {
      const c = decodeCursor(filter.cursor);
      where.push(`seq < ${param(c.seq)}::bigint`);
    }
    const { rows } = await this.sql.query<FindingRow>(
      `SELECT ${FINDING_COLUMNS} FROM findings f
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       -- Qualified: the bare name would sort by the text column of the select list.
       ORDER BY f.seq DESC
       LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    // The cursor still carries last_seen so cursors stay one format; only seq positions the next page.
    return {
      items: page.map(toStoredFinding),
      next_cursor:
        rows.length > limit && last ? encodeCursor({ lastSeen: last.last_seen_us, seq: last.seq }) : null,
    };
  }

  async recordContractVersion(contract: Contract, source: ContractSource = 'api'): Promise<void> {
    await this.sql.query(
      `INSERT INTO contract_versions (contract, version, status, body, hash, source)
       VALUES ($1, $2, $3, $4::json, $5, $6)
       ON CONFLICT (contract, version, hash) DO NOTHING`,
      [
        contract.contract,
        contract.version,
        contract.status,
        JSON.stringify(contract),
        contentHash(contract),
        source,
      ],
    );
  }

  async contractHistory(name?: string): Promise<ContractHistoryEntry[]> {
    const { rows } = await this.sql.query<ContractHistoryEntry>(
      `SELECT contract, version, status, hash, source, ${iso('recorded_at')} AS recorded_at
       FROM contract_versions
       WHERE $1::text IS NULL OR contract = $1::text
       ORDER BY contract, seq`,
      [name ?? null],
    );
    return rows;
  }

  async publishedContracts(): Promise<Contract[]> {
    const { rows } = await this.sql.query<{ body: Contract }>(
      // The latest body of each version, in the order versions were first published.
      `SELECT body FROM (
         SELECT DISTINCT ON (contract, version) body,
                min(seq) OVER (PARTITION BY contract, version) AS first_seq
         FROM contract_versions WHERE source = 'api'
         ORDER BY contract, version, seq DESC
       ) latest
       ORDER BY first_seq`,
    );
    return rows.map((r) => r.body);
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
