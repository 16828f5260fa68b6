import type { Finding } from '../findings/finding.js';
import type { Contract } from '../registry/contract.js';
import type { AuditLog } from './audit-log.js';
import type { ConsentStore } from './consent-store.js';
import type { ExperimentStore } from './experiment-store.js';
import type { MonitorStateStore } from './monitor-state-store.js';
import type { WriteUnit } from './write-unit.js';

/**
 * What the findings writer hands the store: findings of one dedup key
 * (detector, kind, contract, version, attribute, window_start) folded into one
 * row. The Finding fields describe the newest finding of the group; `count`
 * is the group's total.
 */
export interface FindingAggregate extends Finding {
  /** Start of the dedup window (RFC 3339, UTC). */
  window_start: string;
  /** Earliest and latest detected_at in the group. */
  first_seen: string;
  last_seen: string;
  /** Up to MAX_SAMPLE_EVENT_IDS distinct event ids, oldest first. */
  sample_event_ids: string[];
}

/** A deduplicated finding row as read back from the store. */
export interface StoredFinding extends Finding {
  first_seen: string;
  last_seen: string;
  window_start: string;
  sample_event_ids: string[];
}

export const MAX_SAMPLE_EVENT_IDS = 5;

/**
 * Filters combine with AND. `since` / `until` select rows seen in that range
 * (last_seen >= since, first_seen < until). `cursor` is the `next_cursor` of
 * the previous page, opaque to callers.
 */
export interface FindingFilter {
  detector?: string;
  kind?: string;
  contract?: string;
  severity?: string;
  since?: string;
  until?: string;
  /** Page size: default 100, at most 1000. */
  limit?: number;
  cursor?: string;
}

/** Where a recorded contract version came from: published through the API, or loaded from a file. */
export type ContractSource = 'api' | 'file';

export interface ContractHistoryEntry {
  contract: string;
  version: string;
  status: string;
  hash: string;
  source: ContractSource;
  recorded_at: string;
}

/**
 * Durable state of earshot: deduplicated findings and the history of
 * contract versions. One implementation over PostgreSQL and PGlite.
 */
export interface Store {
  readonly kind: 'postgres' | 'pglite';
  /** The consent ledger, consent checks and erasures. */
  readonly consent: ConsentStore;
  /** The hash-chained audit log every consent write appends to. */
  readonly audit: AuditLog;
  /** Snapshots of the windowed detectors' state, so a restart keeps windows and references. */
  readonly monitors: MonitorStateStore;
  /** Experiments defined through the API. */
  readonly experiments: ExperimentStore;
  /** Upserts: count adds up, last_seen is the greatest, samples are appended up to 5. */
  writeFindings(rows: FindingAggregate[]): Promise<void>;
  /**
   * Writes a unit in one transaction, exactly once: false (and nothing
   * written) when a unit with its id was written before.
   */
  writeUnit(unit: WriteUnit): Promise<boolean>;
  /** The ids among these whose results a unit stored (eventIds). */
  processedEvents(eventIds: readonly string[]): Promise<Set<string>>;
  /**
   * Forgets unit ids and stream event ids older than these: a unit id is
   * needed while its unit may be replayed, an event id while its message may
   * be redelivered or published again. Returns how many.
   */
  pruneWriteLog(keep: { unitHours: number; eventMinutes: number }): Promise<number>;
  /** Newest last_seen first, keyset paging with an opaque cursor. */
  queryFindings(filter: FindingFilter): Promise<{ items: StoredFinding[]; next_cursor: string | null }>;
  /**
   * Idempotent: the same body recorded twice is one history entry; a changed
   * body (e.g. a new status) adds an entry. `source` defaults to 'api'.
   */
  recordContractVersion(contract: Contract, source?: ContractSource): Promise<void>;
  /** Oldest first, all contracts or one. */
  contractHistory(name?: string): Promise<ContractHistoryEntry[]>;
  /** Latest body of every version published through the API, to reload them at start. */
  publishedContracts(): Promise<Contract[]>;
  ping(): Promise<void>;
  /** Safe to call twice. */
  close(): Promise<void>;
}
