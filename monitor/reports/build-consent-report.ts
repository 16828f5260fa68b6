import { safeRecordId } from '../../detectors/consent/safe-record-id.js';
import { saltedHash } from '../findings/safe-token.js';
import type { ConsentStore } from '../store/consent-store.js';
import type { ConsentReport, ConsentReportRow } from './consent-report.js';

export const DEFAULT_EVIDENCE_LIMIT = 1000;

/**
 * The consent report for [from, to) from the store: every figure is a count
 * over the stored checks and ledger records, so the JSON, CSV and HTML
 * renderings of one report always agree.
 */
export async function buildConsentReport(
  store: ConsentStore,
  period: { from: string; to: string },
  opts: { evidenceLimit?: number; now?: Date } = {},
): Promise<ConsentReport> {
  const { from, to } = period;
  const limit = opts.evidenceLimit ?? DEFAULT_EVIDENCE_LIMIT;
  const [counts, affected, evidence, withdrawals] = await Promise.all([
    store.countChecks(from, to),
    store.countAffected(from, to),
    store.evidence(from, to, limit + 1),
    store.withdrawals(from, to),
  ]);

  const rows = new Map<string, ConsentReportRow>();
  const byKind: Record<string, number> = {};
  let events = 0;
  let valid = 0;
  for (const c of counts) {
    const key = `${c.purpose}\u0000${c.channel ?? ''}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        purpose: c.purpose,
        channel: c.channel,
        events: 0,
        valid: 0,
        violations: {},
        users_affected: 0,
      };
      rows.set(key, row);
    }
    row.events += c.n;
    events += c.n;
    if (c.outcome === 'valid') {
      row.valid += c.n;
      valid += c.n;
    } else {
      row.violations[c.outcome] = (row.violations[c.outcome] ?? 0) + c.n;
      byKind[c.outcome] = (byKind[c.outcome] ?? 0) + c.n;
    }
  }
  let usersAffected = 0;
  for (const a of affected) {
    if (a.purpose === null && a.channel === null) {
      usersAffected = a.users;
      continue;
    }
    const row = rows.get(`${a.purpose}\u0000${a.channel ?? ''}`);
    if (row) row.users_affected = a.users;
  }
  const user = (id: string, erased: boolean) => (erased ? id : saltedHash(id));
  return {
    from,
    to,
    generated_at: (opts.now ?? new Date()).toISOString(),
    totals: { events, valid, violations: events - valid, users_affected: usersAffected },
    violations_by_kind: byKind,
    by_purpose_channel: [...rows.values()],
    evidence: evidence.slice(0, limit).map((e) => ({
      event_id: e.event_id,
      occurred_at: e.occurred_at,
      contract: e.contract,
      version: e.version,
      purpose: e.purpose,
      channel: e.channel,
      outcome: e.outcome,
      user: user(e.user_id, e.user_erased),
      record:
        e.record_id === null || e.record_status === null
          ? null
          : {
              record_id: safeRecordId(e.record_id),
              status: e.record_status,
              occurred_at: e.record_occurred_at ?? '',
              consent_version: e.consent_version,
              source: e.source,
              lawful_basis: e.lawful_basis,
              region: e.region,
            },
    })),
    evidence_limit: limit,
    evidence_truncated: evidence.length > limit,
    withdrawals: withdrawals.map((w) => ({
      // An erased user's id is its salted hash already.
      user: w.user_erased ? w.user_id : saltedHash(w.user_id),
      purpose: w.purpose,
      withdrawn_at: w.withdrawn_at,
      record_id: safeRecordId(w.record_id),
      events_after: w.events_after,
    })),
  };
}
