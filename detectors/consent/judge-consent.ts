import type { FindingKind } from '../../monitor/findings/finding.js';
import type { ConsentLedger } from './consent-ledger.js';
import { type ConsentPolicy, defaultAllows } from './consent-policy.js';
import type { ConsentRecord } from './consent-record.js';

const DAY_MS = 86_400_000;

/** Consent kinds this module decides; the detector adds consent_gated_attribute. */
export type ConsentViolation = Extract<
  FindingKind,
  | 'consent_missing'
  | 'consent_denied'
  | 'consent_withdrawn'
  | 'consent_expired'
  | 'gpc_opt_out'
  | 'consent_basis_invalid'
  | 'consent_version_stale'
>;

export interface Judgement {
  /** 'valid', or what makes processing unlawful (or questionable, for a stale version). */
  outcome: 'valid' | ConsentViolation;
  /** The record that applied, if any. */
  record: ConsentRecord | null;
  /** Why, in words that name no user. */
  reason: string;
}

/**
 * Whether processing `purpose` for `userId` at event time `ms` was lawful,
 * from the record in force then: processing before a withdrawal stays
 * lawful, after it is not. `region` is the event's region, if it names one.
 */
export function judgeConsent(
  ledger: ConsentLedger,
  policy: ConsentPolicy,
  userId: string | null,
  purpose: string,
  ms: number,
  region: string | null,
): Judgement {
  const rule = policy.purposes[purpose];
  if (!rule) return { outcome: 'valid', record: null, reason: 'purpose outside the catalogue' };
  if (userId === null) {
    if (rule.lawful_basis !== 'consent') return { outcome: 'valid', record: null, reason: rule.lawful_basis };
    if (defaultAllows(policy, region)) {
      return { outcome: 'valid', record: null, reason: 'opt-out region, no user to have objected' };
    }
    return {
      outcome: 'consent_missing',
      record: null,
      reason: 'the event names no user to check consent for',
    };
  }
  if (rule.gpc_opt_out && ledger.gpcAt(userId, ms)) {
    return {
      outcome: 'gpc_opt_out',
      record: null,
      reason: `a Global Privacy Control signal opts the user out of ${purpose}`,
    };
  }
  const record = ledger.at(userId, purpose, ms);
  if (rule.lawful_basis !== 'consent') {
    // A basis that needs no consent still yields to an explicit objection.
    if (record !== null && record.status !== 'granted') {
      return { outcome: 'consent_denied', record, reason: `the user objected to ${purpose}` };
    }
    return { outcome: 'valid', record, reason: rule.lawful_basis };
  }
  if (record === null) {
    if (defaultAllows(policy, region ?? ledger.regionAt(userId, ms))) {
      return { outcome: 'valid', record: null, reason: 'opt-out region, no objection recorded' };
    }
    return { outcome: 'consent_missing', record: null, reason: `no consent record for ${purpose}` };
  }
  if (record.status === 'withdrawn') {
    return {
      outcome: 'consent_withdrawn',
      record,
      reason: `consent to ${purpose} was withdrawn before the event`,
    };
  }
  if (record.status === 'denied') {
    return { outcome: 'consent_denied', record, reason: `the user denied ${purpose}` };
  }
  const mode = rule.consent_mode === null ? undefined : record.consent_mode?.[rule.consent_mode];
  if (mode === 'denied') {
    return { outcome: 'consent_denied', record, reason: `Consent Mode ${rule.consent_mode} is denied` };
  }
  if (record.lawful_basis !== null && record.lawful_basis !== 'consent') {
    return {
      outcome: 'consent_basis_invalid',
      record,
      reason: `${purpose} needs consent but was recorded under ${record.lawful_basis}`,
    };
  }
  const expiresMs =
    record.expires_at !== null
      ? Date.parse(record.expires_at)
      : rule.expiry_days === null
        ? Number.POSITIVE_INFINITY
        : record.occurred_ms + rule.expiry_days * DAY_MS;
  if (ms >= expiresMs) {
    return { outcome: 'consent_expired', record, reason: `consent to ${purpose} had expired at the event` };
  }
  if (rule.current_version !== null && record.consent_version !== rule.current_version) {
    return {
      outcome: 'consent_version_stale',
      record,
      reason: `consent to ${purpose} was given to another version of the consent text than the current one`,
    };
  }
  return { outcome: 'valid', record, reason: 'consent granted' };
}
