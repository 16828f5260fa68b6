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

/**
 * A judgement as the hot path makes it: the ledger entry that applied
 * (-1 for none) rather than its record id, which is read only when a check
 * or finding needs it.
 */
export interface EntryJudgement {
  outcome: Judgement['outcome'];
  /** The ledger entry of the record that applied, -1 for none. */
  entry: number;
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

/** Fills `out` with a judgement: the hot path reuses one object per purpose instead of allocating. */
function set(out: EntryJudgement, outcome: Judgement['outcome'], entry: number, reason: string): void {
  out.outcome = outcome;
  out.entry = entry;
  out.reason = reason;
}

/**
 * Whether processing the rule's purpose at event time `ms` was lawful,
 * from the user's ledger entries as of the event (`last`, from
 * ledger.entryAt; -1 when there are none), written into `out`: processing
 * before a withdrawal stays lawful, after it is not. `purposeId` is the
 * purpose's id in the ledger (entries.purposes.id), `hasUser` is false for
 * an event naming no user. `region()` gives the event's own region; it is
 * asked only when no record decides, since most events never need it.
 */
export function judgeRule(
  out: EntryJudgement,
  policy: CompiledPolicy,
  rule: PurposeRule,
  entries: LedgerEntries,
  purposeId: number,
  last: number,
  hasUser: boolean,
  ms: number,
  region: () => string | null,
): void {
  const purpose = rule.purpose;
  if (!hasUser) {
    if (!rule.needsConsent) set(out, 'valid', -1, rule.basis);
    else if (policy.allowsWithoutRecord(region())) {
      set(out, 'valid', -1, 'opt-out region, no user to have objected');
    } else set(out, 'consent_missing', -1, 'the event names no user to check consent for');
    return;
  }
  if (rule.gpcOptOut && gpcOf(entries, last)) {
    set(out, 'gpc_opt_out', -1, `a Global Privacy Control signal opts the user out of ${purpose}`);
    return;
  }
  const e = entryFor(entries, last, purposeId);
  if (e === -1) {
    if (!rule.needsConsent) set(out, 'valid', -1, rule.basis);
    else if (policy.allowsWithoutRecord(region() ?? regionOf(entries, last))) {
      set(out, 'valid', -1, 'opt-out region, no objection recorded');
    } else set(out, 'consent_missing', -1, `no consent record for ${purpose}`);
    return;
  }
  const status = entries.status(e);
  if (!rule.needsConsent) {
    // A basis that needs no consent still yields to an explicit objection.
    if (status !== STATUS_GRANTED) set(out, 'consent_denied', e, `the user objected to ${purpose}`);
    else set(out, 'valid', e, rule.basis);
    return;
  }
  if (status === STATUS_WITHDRAWN) {
    set(out, 'consent_withdrawn', e, `consent to ${purpose} was withdrawn before the event`);
    return;
  }
  if (status === STATUS_DENIED) {
    set(out, 'consent_denied', e, `the user denied ${purpose}`);
    return;
  }
  if (rule.consentModeSignal !== -1 && entries.mode(e, rule.consentModeSignal) === MODE_DENIED) {
    set(out, 'consent_denied', e, `Consent Mode ${rule.consentMode} is denied`);
    return;
  }
  const basis = entries.basis(e);
  if (basis !== null && basis !== 'consent') {
    set(out, 'consent_basis_invalid', e, `${purpose} needs consent but was recorded under ${basis}`);
    return;
  }
  if (ms >= expiryOf(entries, e, rule)) {
    set(out, 'consent_expired', e, `consent to ${purpose} had expired at the event`);
    return;
  }
  if (rule.currentVersion !== null && entries.version(e) !== rule.currentVersion) {
    set(
      out,
      'consent_version_stale',
      e,
      `consent to ${purpose} was given to another version of the consent text than the current one`,
    );
    return;
  }
  set(out, 'valid', e, 'consent granted');
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
  if (rule === undefined)
    return { outcome: 'valid', record_id: null, reason: 'purpose outside the catalogue' };
  const last = userId === null ? -1 : ledger.entryAt(userId, ms);
  const entries = ledger.entries;
  const out: EntryJudgement = { outcome: 'valid', entry: -1, reason: '' };
  judgeRule(
    out,
    compiled,
    rule,
    entries,
    entries.purposes.id(purpose),
    last,
    userId !== null,
    ms,
    () => region,
  );
  return {
    outcome: out.outcome,
    record_id: out.entry === -1 ? null : entries.recordId(out.entry),
    reason: out.reason,
  };
}
