import { safeRecordId } from '../../detectors/consent/safe-record-id.js';
import { saltedHash } from '../findings/safe-token.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import type { ConsentAppended, ConsentAppendHook } from './consent-store.js';

/**
 * The audit log entries for what a consent write added: one entry for its
 * ledger records, one for its violations, one for an erasure. Each entry
 * holds every record or violation of the write, so every one of them is in
 * the chain and an edit to any breaks it; one row per write rather than per
 * record keeps a bulk import from spending most of its time on audit rows.
 * Users appear as salted hashes from the start, so an erasure never has to
 * edit the chain.
 */
export function consentAuditEntries(what: ConsentAppended): AuditEntry[] {
  const entries: AuditEntry[] = [];
  // One HMAC per user and write: an import holds many records of each user.
  const hashes = new Map<string, string>();
  const userHash = (id: string) => {
    let h = hashes.get(id);
    if (h === undefined) {
      h = saltedHash(id);
      hashes.set(id, h);
    }
    return h;
  };
  if (what.records.length > 0) {
    // Keys in sorted order (and consent_mode's too), so JSON.stringify is the canonical form. A field
    // with no value is left out (undefined): most records lack several, and the content is hashed, sent
    // and stored whole, a fifth smaller without them.
    const records = what.records.map((r) => ({
      consent_mode: r.consent_mode === null ? undefined : sortedKeys(r.consent_mode),
      consent_version: r.consent_version ?? undefined,
      expires_at: r.expires_at ?? undefined,
      gpc: r.gpc ?? undefined,
      lawful_basis: r.lawful_basis ?? undefined,
      occurred_at: r.occurred_at,
      purpose: r.purpose,
      record_id: safeRecordId(r.record_id),
      region: r.region ?? undefined,
      source: r.source ?? undefined,
      status: r.status,
      user: userHash(r.user_id),
    }));
    const content = { records };
    entries.push({ kind: 'consent_record', content, canonical: JSON.stringify(content) });
  }
  if (what.violations.length > 0) {
    const violations = what.violations.map((c) => ({
      channel: c.channel ?? undefined,
      contract: c.contract,
      detected_at: c.detected_at,
      event_id: c.event_id,
      occurred_at: c.occurred_at,
      outcome: c.outcome,
      purpose: c.purpose,
      record_id: c.record_id === null ? undefined : safeRecordId(c.record_id),
      user: c.user_id === '' ? undefined : userHash(c.user_id),
      version: c.version,
    }));
    const content = { violations };
    entries.push({ kind: 'consent_finding', content, canonical: JSON.stringify(content) });
  }
  if (what.erasure) entries.push({ kind: 'consent_erasure', content: { ...what.erasure } });
  return entries;
}

function sortedKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

/** The hook that chains each consent write into the audit log, in the write's own transaction. */
export function auditConsentWrites(audit: AuditLog): ConsentAppendHook {
  return async (tx, what) => {
    const entries = consentAuditEntries(what);
    if (entries.length > 0) await audit.append(entries, tx);
  };
}
