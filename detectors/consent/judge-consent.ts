import type { FindingKind } from '../../monitor/findings/finding.js';
import { type ConsentLedger, lastAtOrBefore } from './consent-ledger.js';
import {
  type CompiledPolicy,
  type ConsentPolicy,
  compilePolicy,
  type PurposeRule,
} from './consent-policy.js';
import type { ConsentRecord } from './consent-record.js';

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
 * One user's records as of one event: the list (null when the ledger holds
 * none) and the index of the last record at or before the event (-1 when
 * none), found once, so each purpose costs a short walk back. Passed as two
 * arguments rather than an object: the hot path allocates nothing for it.
 */
export function lastIndexAt(records: readonly ConsentRecord[] | null, ms: number): number {
  return records === null ? -1 : lastAtOrBefore(records, ms);
}

function recordFor(
  records: readonly ConsentRecord[] | null,
  last: number,
  purpose: string,
): ConsentRecord | null {
  if (records === null) return null;
  for (let i = last; i >= 0; i--) if (records[i]!.purpose === purpose) return records[i]!;
  return null;
}

function gpcOf(records: readonly ConsentRecord[] | null, last: number): boolean {
  if (records === null) return false;
  for (let i = last; i >= 0; i--) {
    const gpc = records[i]!.gpc;
    if (gpc !== null) return gpc;
  }
  return false;
}

function regionOf(records: readonly ConsentRecord[] | null, last: number): string | null {
  if (records === null) return null;
  for (let i = last; i >= 0; i--) {
    const region = records[i]!.region;
    if (region !== null) return region;
  }
  return null;
}

/** When a granted record lapses (ms): its own expiry, else the purpose's, else never. */
function expiryOf(record: ConsentRecord, rule: PurposeRule): number {
  if (record.expires_at !== null) return record.expires_ms ?? Date.parse(record.expires_at);
  return record.occurred_ms + rule.expiryMs;
}

const OUTSIDE: Judgement = { outcome: 'valid', record: null, reason: 'purpose outside the catalogue' };

/**
 * Whether processing `purpose` at event time `ms` was lawful, from the
 * user's records as of the event (`at`; null when the ledger holds none):
 * processing before a withdrawal stays lawful, after it is not. `hasUser`
 * is false for an event naming no user; `region` is the event's region.
 */
export function judgeAt(
  policy: ConsentPolicy,
  purpose: string,
  records: readonly ConsentRecord[] | null,
  hasUser: boolean,
  ms: number,
  region: string | null,
): Judgement {
  const compiled = compilePolicy(policy);
  const rule = compiled.rules.get(purpose);
  if (rule === undefined) return OUTSIDE;
  return judgeRule(compiled, rule, records, lastIndexAt(records, ms), hasUser, ms, region);
}

/** judgeAt with the purpose's rule already looked up: the detector's hot path. */
export function judgeRule(
  policy: CompiledPolicy,
  rule: PurposeRule,
  records: readonly ConsentRecord[] | null,
  last: number,
  hasUser: boolean,
  ms: number,
  region: string | null,
): Judgement {
  const purpose = rule.purpose;
  if (!hasUser) {
    if (!rule.needsConsent) return { outcome: 'valid', record: null, reason: rule.basis };
    if (policy.allowsWithoutRecord(region)) {
      return { outcome: 'valid', record: null, reason: 'opt-out region, no user to have objected' };
    }
    return {
      outcome: 'consent_missing',
      record: null,
      reason: 'the event names no user to check consent for',
    };
  }
  if (rule.gpcOptOut && gpcOf(records, last)) {
    return {
      outcome: 'gpc_opt_out',
      record: null,
      reason: `a Global Privacy Control signal opts the user out of ${purpose}`,
    };
  }
  const record = recordFor(records, last, purpose);
  if (!rule.needsConsent) {
    // A basis that needs no consent still yields to an explicit objection.
    if (record !== null && record.status !== 'granted') {
      return { outcome: 'consent_denied', record, reason: `the user objected to ${purpose}` };
    }
    return { outcome: 'valid', record, reason: rule.basis };
  }
  if (record === null) {
    if (policy.allowsWithoutRecord(region ?? regionOf(records, last))) {
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
  if (rule.consentMode !== null && record.consent_mode?.[rule.consentMode] === 'denied') {
    return { outcome: 'consent_denied', record, reason: `Consent Mode ${rule.consentMode} is denied` };
  }
  if (record.lawful_basis !== null && record.lawful_basis !== 'consent') {
    return {
      outcome: 'consent_basis_invalid',
      record,
      reason: `${purpose} needs consent but was recorded under ${record.lawful_basis}`,
    };
  }
  if (ms >= expiryOf(record, rule)) {
    return { outcome: 'consent_expired', record, reason: `consent to ${purpose} had expired at the event` };
  }
  if (rule.currentVersion !== null && record.consent_version !== rule.currentVersion) {
    return {
      outcome: 'consent_version_stale',
      record,
      reason: `consent to ${purpose} was given to another version of the consent text than the current one`,
    };
  }
  return { outcome: 'valid', record, reason: 'consent granted' };
}

/** judgeAt for one user and purpose, reading the ledger: for callers judging a single purpose. */
export function judgeConsent(
  ledger: ConsentLedger,
  policy: ConsentPolicy,
  userId: string | null,
  purpose: string,
  ms: number,
  region: string | null,
): Judgement {
  const records = userId === null ? null : ledger.recordsOf(userId);
  return judgeAt(policy, purpose, records, userId !== null, ms, region);
}
