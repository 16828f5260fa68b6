import {
  DEFAULT_SEVERITY,
  type Finding,
  type FindingKind,
  makeFinding,
  type Severity,
} from '../../monitor/findings/finding.js';
import { pointerKeys, valueAtKeys } from '../../monitor/findings/json-pointer.js';
import { safeToken, saltedHash } from '../../monitor/findings/safe-token.js';
import type { ConversationEvent, Envelope } from '../../monitor/pipeline/envelope.js';
import type { Contract } from '../../monitor/registry/contract.js';
import type { Detector, InspectContext } from '../detector.js';
import { readConsentEvent } from './consent-event.js';
import type { ConsentLedger } from './consent-ledger.js';
import {
  CONSENT_POLICY_SCHEMA,
  type CompiledPolicy,
  type ConsentConfig,
  compilePolicy,
  type PurposeRule,
} from './consent-policy.js';
import { type EntryJudgement, judgeRule } from './judge-consent.js';
import { safeRecordId } from './safe-record-id.js';

export const CONSENT_DETECTOR = 'consent';
/** The contract whose events feed the ledger instead of being checked against it. */
export const CONSENT_EVENT_TYPE = 'consent.updated';

/** One event checked for one purpose: a row of the report's evidence. */
export interface ConsentCheck {
  event_id: string | null;
  occurred_at: string;
  contract: string;
  version: string;
  purpose: string;
  channel: string | null;
  user_id: string;
  /** 'valid' or the finding kind. */
  outcome: string;
  record_id: string | null;
  detected_at: string;
}

export interface ConsentSinks {
  /** Every check, valid or not, for the report; written in batches by the store. */
  check?(check: ConsentCheck): void;
}

/** The kinds that mean an event was processed without valid consent. */
export const CONSENT_VIOLATION_KINDS: readonly FindingKind[] = [
  'consent_missing',
  'consent_denied',
  'consent_withdrawn',
  'consent_expired',
  'gpc_opt_out',
  'consent_basis_invalid',
  'consent_version_stale',
  'consent_gated_attribute',
];

const KINDS: ReadonlyArray<{ kind: FindingKind; severity: Severity }> = [
  ...CONSENT_VIOLATION_KINDS,
  'malformed' as const,
].map((kind) => ({ kind, severity: DEFAULT_SEVERITY[kind] }));

const NONE: Finding[] = [];

/**
 * What a contract asks of consent, worked out once per contract version:
 * its purposes first (`declared` of them), then those only gated
 * attributes need, and each gated attribute's pointer keys and purposes
 * (as indexes into `purposes`).
 */
interface ConsentPlan {
  purposes: string[];
  /** Each purpose's rule, undefined for one outside the catalogue (judged valid, as configuration's business). */
  rules: Array<PurposeRule | undefined>;
  /** Each purpose's id in the ledger's entries. */
  purposeIds: number[];
  declared: number;
  gated: Array<{ pointer: string; keys: string[]; purposes: number[] }>;
}

function planOf(
  plans: WeakMap<Contract, ConsentPlan>,
  contract: Contract,
  compiled: CompiledPolicy,
  ledger: ConsentLedger,
): ConsentPlan {
  let plan = plans.get(contract);
  if (plan) return plan;
  const purposes = [...contract.purposes];
  const declared = purposes.length;
  const gated: ConsentPlan['gated'] = [];
  for (const [pointer, rule] of Object.entries(contract.attributes)) {
    if (!rule.requires_consent || rule.requires_consent.length === 0) continue;
    const indexes = rule.requires_consent.map((p) => {
      const k = purposes.indexOf(p);
      if (k !== -1) return k;
      purposes.push(p);
      return purposes.length - 1;
    });
    gated.push({ pointer, keys: pointerKeys(pointer), purposes: indexes });
  }
  plan = {
    purposes,
    rules: purposes.map((p) => compiled.rules.get(p)),
    purposeIds: purposes.map((p) => ledger.entries.purposes.id(p)),
    declared,
    gated,
  };
  plans.set(contract, plan);
  return plan;
}

/** A region an event names for itself (`/region`), when it is a string. */
function eventRegion(event: ConversationEvent): string | null {
  const r = event.region;
  return typeof r === 'string' && r.length > 0 && r.length <= 16 ? r : null;
}

/**
 * The consent detector: `consent.updated` events feed the ledger; every
 * other event is checked, at its event time, for each purpose its contract
 * declares and for each consent-gated attribute it carries.
 */
export function createConsentDetector(
  config: ConsentConfig,
  ledger: ConsentLedger,
  sinks: ConsentSinks = {},
): Detector {
  const policy = config;
  const compiled = compilePolicy(policy);
  const scratch: EntryJudgement[] = [];
  // The event's own region matters only where no record decides: read lazily (most events never need it),
  // through one function over the event being inspected rather than a closure per event.
  let current: ConversationEvent = {};
  // A batch's events share one detection time (one Date): formatted once per batch, not per event.
  let lastNow: Date | null = null;
  let lastIso = '';
  const isoOf = (now: Date): string => {
    if (now !== lastNow) {
      lastNow = now;
      lastIso = now.toISOString();
    }
    return lastIso;
  };
  const region = () => eventRegion(current);
  // Per detector: a plan's purpose ids belong to this detector's ledger.
  const plans = new WeakMap<Contract, ConsentPlan>();
  return {
    name: CONSENT_DETECTOR,
    kinds: KINDS,
    async prepare(envelopes: readonly Envelope[]): Promise<void> {
      const users: string[] = [];
      for (const e of envelopes) if (e.user_id !== null) users.push(e.user_id);
      await ledger.prefetch(users);
    },
    inspect(event: ConversationEvent, ctx: InspectContext): Finding[] {
      const contract = ctx.contract.contract;
      if (contract.contract === CONSENT_EVENT_TYPE) return ingest(event, ctx);
      const plan = planOf(plans, contract, compiled, ledger);
      if (plan.purposes.length === 0) return NONE;
      const env = ctx.envelope;
      const ms = env.occurred_ms ?? ctx.now.getTime();
      current = event;
      // One read of the ledger per event: every purpose is judged from the same records.
      const user = env.user_id;
      const last = user === null ? -1 : ledger.entryAt(user, ms);
      const entries = ledger.entries;
      // Reused across events: inspect is synchronous, so no two events judge at once.
      const judged = scratch;
      while (judged.length < plan.rules.length) judged.push({ outcome: 'valid', entry: -1, reason: '' });
      for (let k = 0; k < plan.rules.length; k++) {
        const rule = plan.rules[k];
        const out = judged[k]!;
        if (rule === undefined) {
          out.outcome = 'valid';
          out.entry = -1;
          out.reason = 'purpose outside the catalogue';
        } else judgeRule(out, compiled, rule, entries, plan.purposeIds[k]!, last, user !== null, ms, region);
      }
      let findings: Finding[] = NONE;
      // Formatted once per event, and only when checks are kept.
      const detectedAt = sinks.check ? isoOf(ctx.now) : '';
      for (let k = 0; k < plan.declared; k++) {
        const purpose = plan.purposes[k]!;
        const j = judged[k]!;
        if (sinks.check) {
          sinks.check({
            event_id: env.event_id,
            occurred_at: env.occurred_at ?? detectedAt,
            contract: contract.contract,
            version: contract.version,
            purpose,
            channel: env.channel,
            user_id: user ?? '',
            outcome: j.outcome,
            record_id: j.entry === -1 ? null : entries.recordId(j.entry),
            detected_at: detectedAt,
          });
        }
        if (j.outcome === 'valid') continue;
        if (findings === NONE) findings = [];
        const recordId = j.entry === -1 ? null : entries.recordId(j.entry);
        findings.push(finding(j.outcome, purpose, null, j.reason, recordId, env, ctx));
      }
      for (const gate of plan.gated) {
        // The attribute is looked up only when one of its purposes is not valid: most events have consent.
        let present: boolean | undefined;
        for (const k of gate.purposes) {
          const j = judged[k]!;
          if (j.outcome === 'valid' || j.outcome === 'consent_version_stale') continue;
          if (present === undefined) {
            const value = valueAtKeys(event, gate.keys);
            present = value !== undefined && value !== null;
          }
          if (!present) break;
          const purpose = plan.purposes[k]!;
          if (findings === NONE) findings = [];
          findings.push(
            finding(
              'consent_gated_attribute',
              purpose,
              gate.pointer,
              `${gate.pointer} is present but needs ${purpose} consent (${j.reason})`,
              j.entry === -1 ? null : entries.recordId(j.entry),
              env,
              ctx,
            ),
          );
        }
      }
      return findings;
    },
  };

  function ingest(event: ConversationEvent, ctx: InspectContext): Finding[] {
    const read = readConsentEvent(event, ctx.envelope, policy, ledger);
    let recorded = 0;
    for (const r of read.records) if (ledger.record(r)) recorded++;
    void recorded;
    return read.problems.map((p) =>
      makeFinding(
        {
          detector: CONSENT_DETECTOR,
          kind: 'malformed',
          contract: ctx.contract.contract.contract,
          version: ctx.contract.contract.version,
          attribute: p.attribute,
          event_id: ctx.envelope.event_id,
          occurred_at: ctx.envelope.occurred_at,
          message: p.message,
        },
        ctx.now,
      ),
    );
  }
}

function finding(
  kind: FindingKind,
  purpose: string,
  attribute: string | null,
  reason: string,
  recordId: string | null,
  env: Envelope,
  ctx: InspectContext,
): Finding {
  return makeFinding(
    {
      detector: CONSENT_DETECTOR,
      kind,
      contract: ctx.contract.contract.contract,
      version: ctx.contract.contract.version,
      attribute,
      event_id: env.event_id,
      occurred_at: env.occurred_at,
      message: attribute === null ? `${purpose}: ${reason}` : reason,
      evidence: {
        purpose: safeToken(purpose),
        user: env.user_id === null ? null : saltedHash(env.user_id),
        record_id: recordId === null ? null : safeRecordId(recordId),
        channel: env.channel === null ? null : safeToken(env.channel),
      },
    },
    ctx.now,
  );
}

export const consentDetectorConfigSchema = CONSENT_POLICY_SCHEMA;
