import type { FindingKind } from '../../monitor/findings/finding.js';
import type { ConsentLedger } from './consent-ledger.js';
import {
  type CompiledPolicy,
  type ConsentPolicy,
  compilePolicy,
  type PurposeRule,
} from './consent-policy.js';
import {
  GPC_NONE,
  GPC_TRUE,
  type LedgerEntries,
  MODE_DENIED,
  STATUS_DENIED,
  STATUS_GRANTED,
  STATUS_WITHDRAWN,
} from './ledger-entries.js';

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
  /** The id of the record that applied, if any. */
  record_id: string | null;
  /** Why, in words that name no user. */
  reason: string;
}

/** The purpose's entry: the first from `last` (the entry in force at the event) back. */
function entryFor(entries: LedgerEntries, last: number, purposeId: number): number {
  let e = last;
  while (e !== -1 && entries.purposeId(e) !== purposeId) e = entries.prev(e);
  return e;
}

function gpcOf(entries: LedgerEntries, last: number): boolean {
  for (let e = last; e !== -1; e = entries.prev(e)) {
    const gpc = entries.gpc(e);
    if (gpc !== GPC_NONE) return gpc === GPC_TRUE;
  }
  return false;
}

function regionOf(entries: LedgerEntries, last: number): string | null {
  for (let e = last; e !== -1; e = entries.prev(e)) {
    const region = entries.region(e);
    if (region !== null) return region;
  }
  return null;
}

/** When a grant lapses (ms): its own expiry, else the purpose's, else never. */
function expiryOf(entries: LedgerEntries, e: number, rule: PurposeRule): number {
  const own = entries.expiresMs(e);
  return Number.isNaN(own) ? entries.ms(e) + rule.expiryMs : own;
}

const OUTSIDE: Judgement = { outcome: 'valid', record_id: null, reason: 'purpose outside the catalogue' };

/**
 * Whether processing the rule's purpose at event time `ms` was lawful,
 * from the user's ledger entries as of the event (`last`, from
 * ledger.entryAt; -1 when there are none): processing before a withdrawal
 * stays lawful, after it is not. `purposeId` is the purpose's id in the
 * ledger (entries.purposes.id), `hasUser` is false for an event naming no
 * user, `region` is the event's region.
 */
export function judgeRule(
  policy: CompiledPolicy,
  rule: PurposeRule,
  entries: LedgerEntries,
  purposeId: number,
  last: number,
  hasUser: boolean,
  ms: number,
  region: string | null,
): Judgement {
  const purpose = rule.purpose;
  if (!hasUser) {
    if (!rule.needsConsent) return { outcome: 'valid', record_id: null, reason: rule.basis };
    if (policy.allowsWithoutRecord(region)) {
      return { outcome: 'valid', record_id: null, reason: 'opt-out region, no user to have objected' };
    }
    return {
      outcome: 'consent_missing',
      record_id: null,
      reason: 'the event names no user to check consent for',
    };
  }
  if (rule.gpcOptOut && gpcOf(entries, last)) {
    return {
      outcome: 'gpc_opt_out',
      record_id: null,
      reason: `a Global Privacy Control signal opts the user out of ${purpose}`,
    };
  }
  const e = entryFor(entries, last, purposeId);
  const recordId = e === -1 ? null : entries.recordId(e);
  const status = e === -1 ? -1 : entries.status(e);
  if (!rule.needsConsent) {
    // A basis that needs no consent still yields to an explicit objection.
    if (e !== -1 && status !== STATUS_GRANTED) {
      return { outcome: 'consent_denied', record_id: recordId, reason: `the user objected to ${purpose}` };
    }
    return { outcome: 'valid', record_id: recordId, reason: rule.basis };
  }
  if (e === -1) {
    if (policy.allowsWithoutRecord(region ?? regionOf(entries, last))) {
      return { outcome: 'valid', record_id: null, reason: 'opt-out region, no objection recorded' };
    }
    return { outcome: 'consent_missing', record_id: null, reason: `no consent record for ${purpose}` };
  }
  if (status === STATUS_WITHDRAWN) {
    return {
      outcome: 'consent_withdrawn',
      record_id: recordId,
      reason: `consent to ${purpose} was withdrawn before the event`,
    };
  }
  if (status === STATUS_DENIED) {
    return { outcome: 'consent_denied', record_id: recordId, reason: `the user denied ${purpose}` };
  }
  if (rule.consentModeSignal !== -1 && entries.mode(e, rule.consentModeSignal) === MODE_DENIED) {
    return {
      outcome: 'consent_denied',
      record_id: recordId,
      reason: `Consent Mode ${rule.consentMode} is denied`,
    };
  }
  const basis = entries.basis(e);
  if (basis !== null && basis !== 'consent') {
    return {
      outcome: 'consent_basis_invalid',
      record_id: recordId,
      reason: `${purpose} needs consent but was recorded under ${basis}`,
    };
  }
  if (ms >= expiryOf(entries, e, rule)) {
    return {
      outcome: 'consent_expired',
      record_id: recordId,
      reason: `consent to ${purpose} had expired at the event`,
    };
  }
  if (rule.currentVersion !== null && entries.version(e) !== rule.currentVersion) {
    return {
      outcome: 'consent_version_stale',
      record_id: recordId,
      reason: `consent to ${purpose} was given to another version of the consent text than the current one`,
    };
  }
  return { outcome: 'valid', record_id: recordId, reason: 'consent granted' };
}

/** Whether processing `purpose` for the user at `ms` was lawful, reading the ledger: for callers judging a single purpose. */
export function judgeConsent(
  ledger: ConsentLedger,
  policy: ConsentPolicy,
  userId: string | null,
  purpose: string,
  ms: number,
  region: string | null,
): Judgement {
  const compiled = compilePolicy(policy);
  const rule = compiled.rules.get(purpose);
  if (rule === undefined) return OUTSIDE;
  const last = userId === null ? -1 : ledger.entryAt(userId, ms);
  const entries = ledger.entries;
  return judgeRule(compiled, rule, entries, entries.purposes.id(purpose), last, userId !== null, ms, region);
}
