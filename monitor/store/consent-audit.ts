import { saltedHash } from '../findings/safe-token.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import type { ConsentAppended, ConsentAppendHook } from './consent-store.js';

/**
 * The audit log entries for what a consent write added: every ledger
 * record, every violation, every erasure. Users appear as salted hashes
 * from the start, so an erasure never has to edit the chain.
 */
export function consentAuditEntries(what: ConsentAppended): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const r of what.records) {
    entries.push({
      kind: 'consent_record',
      content: {
        record_id: r.record_id,
        user: saltedHash(r.user_id),
        purpose: r.purpose,
        status: r.status,
        occurred_at: r.occurred_at,
        consent_version: r.consent_version,
        source: r.source,
        lawful_basis: r.lawful_basis,
        region: r.region,
        gpc: r.gpc,
        consent_mode: r.consent_mode,
        expires_at: r.expires_at,
      },
    });
  }
  for (const c of what.violations) {
    entries.push({
      kind: 'consent_finding',
      content: {
        event_id: c.event_id,
        occurred_at: c.occurred_at,
        contract: c.contract,
        version: c.version,
        purpose: c.purpose,
        channel: c.channel,
        user: c.user_id === '' ? null : saltedHash(c.user_id),
        outcome: c.outcome,
        record_id: c.record_id,
        detected_at: c.detected_at,
      },
    });
  }
  if (what.erasure) entries.push({ kind: 'consent_erasure', content: { ...what.erasure } });
  return entries;
}

/** The hook that chains each consent write into the audit log, in the write's own transaction. */
export function auditConsentWrites(audit: AuditLog): ConsentAppendHook {
  return async (tx, what) => {
    const entries = consentAuditEntries(what);
    if (entries.length > 0) await audit.append(entries, tx);
  };
}
