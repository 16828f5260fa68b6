/**
 * The consent compliance report for a period: what a compliance officer
 * signs. Built from the store's consent checks and ledger (one row per event
 * and purpose it was processed for); rendered as JSON, CSV or HTML. Users
 * appear only as salted hashes, records and events only by their ids.
 */

export interface ConsentReportRow {
  purpose: string;
  /** The events' channel (chat, voice, ...); null when events name none. */
  channel: string | null;
  /** Events processed for the purpose in the period. */
  events: number;
  /** Of those, the ones processed under valid consent (or a basis that needs none). */
  valid: number;
  /** Violations by finding kind (consent_missing, consent_withdrawn, ...). */
  violations: Record<string, number>;
  /** Distinct users with at least one violation. */
  users_affected: number;
}

/** The ledger record that applied to a check, as evidence. */
export interface EvidenceRecord {
  record_id: string;
  status: string;
  occurred_at: string;
  consent_version: string | null;
  source: string | null;
  lawful_basis: string | null;
  region: string | null;
}

export interface EvidenceRow {
  event_id: string | null;
  occurred_at: string;
  contract: string;
  version: string;
  purpose: string;
  channel: string | null;
  /** 'valid' or the violation kind. */
  outcome: string;
  /** The user's salted hash. */
  user: string;
  /** The record that applied, or null when none existed. */
  record: EvidenceRecord | null;
}

/** Proof of stopping: one row per withdrawal in the period. */
export interface WithdrawalRow {
  user: string;
  purpose: string;
  withdrawn_at: string;
  record_id: string;
  /** Events processed for the purpose after the withdrawal, in the period: should be zero. */
  events_after: number;
}

export interface ConsentReport {
  /** The period, [from, to), RFC 3339 UTC. */
  from: string;
  to: string;
  generated_at: string;
  totals: { events: number; valid: number; violations: number; users_affected: number };
  violations_by_kind: Record<string, number>;
  by_purpose_channel: ConsentReportRow[];
  /** Violations first, newest first, at most `evidence_limit` rows. */
  evidence: EvidenceRow[];
  evidence_limit: number;
  /** True when more rows matched than `evidence` holds. */
  evidence_truncated: boolean;
  withdrawals: WithdrawalRow[];
}
