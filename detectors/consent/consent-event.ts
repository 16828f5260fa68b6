import { safeToken } from '../../monitor/findings/safe-token.js';
import type { ConversationEvent, Envelope } from '../../monitor/pipeline/envelope.js';
import type { ConsentLedger } from './consent-ledger.js';
import type { ConsentPolicy } from './consent-policy.js';
import {
  type ConsentRecord,
  type ConsentStatus,
  consentRecord,
  readConsentFields,
} from './consent-record.js';
import { STATUS_GRANTED } from './ledger-entries.js';

export interface ConsentEventRead {
  records: ConsentRecord[];
  /** What could not be recorded, by attribute; the rest of the event is still recorded. */
  problems: Array<{ attribute: string; message: string }>;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The ledger records a `consent.updated` event stands for: one per purpose
 * granted or denied, carrying the event's GPC signal, Consent Mode signals,
 * consent version, source, region and lawful basis. A denial of a purpose
 * the user had granted before the event is a withdrawal. A GPC signal with
 * no purpose named is recorded as a denial of the purposes GPC opts out of.
 * Record ids derive from the event id, so a redelivered event records nothing twice.
 */
export function readConsentEvent(
  event: ConversationEvent,
  envelope: Envelope,
  policy: ConsentPolicy,
  ledger: ConsentLedger,
): ConsentEventRead {
  const problems: ConsentEventRead['problems'] = [];
  const records: ConsentRecord[] = [];
  if (envelope.user_id === null || envelope.occurred_ms === null) {
    problems.push({
      attribute: envelope.user_id === null ? '/user_id' : '/occurred_at',
      message: 'a consent change needs a user_id and a valid occurred_at to be recorded',
    });
    return { records, problems };
  }
  const granted = strings(event.purposes_granted);
  const denied = strings(event.purposes_denied);
  const gpc = typeof event.gpc === 'boolean' ? event.gpc : null;
  if (gpc === true && granted.length === 0 && denied.length === 0) {
    for (const [purpose, rule] of Object.entries(policy.purposes)) if (rule.gpc_opt_out) denied.push(purpose);
  }
  // The fields every record of the event shares are read and checked once.
  const read = readConsentFields(
    {
      user_id: envelope.user_id,
      occurred_at: envelope.occurred_at,
      consent_version: event.consent_version,
      source: event.source,
      lawful_basis: event.lawful_basis,
      region: event.region,
      gpc,
      consent_mode: event.consent_mode,
      expires_at: event.expires_at,
    },
    policy,
  );
  if (!read.ok) {
    for (const p of granted)
      problems.push({ attribute: '/purposes_granted', message: `${safeToken(p)}: ${read.error}` });
    for (const p of denied)
      problems.push({ attribute: '/purposes_denied', message: `${safeToken(p)}: ${read.error}` });
    return { records, problems };
  }
  const fields = read.fields;
  // The user's state just before the event: a denial of a purpose granted then is a withdrawal.
  const before = ledger.entryAt(envelope.user_id, envelope.occurred_ms - 1);
  const entries = ledger.entries;
  const add = (purpose: string, granting: boolean, attribute: string) => {
    if (!Object.hasOwn(policy.purposes, purpose)) {
      problems.push({
        attribute,
        message: `${safeToken(purpose)}: purpose is not in the catalogue (detectors.consent.purposes)`,
      });
      return;
    }
    let status: ConsentStatus = 'granted';
    if (!granting) {
      const id = entries.purposes.id(purpose);
      let e = before;
      while (e !== -1 && entries.purposeId(e) !== id) e = entries.prev(e);
      status = e !== -1 && entries.status(e) === STATUS_GRANTED ? 'withdrawn' : 'denied';
    }
    // The status is part of the id: an event granting and denying one purpose keeps both, and the denial wins.
    const recordId = envelope.event_id === null ? null : `${envelope.event_id}:${purpose}:${status}`;
    records.push(consentRecord(fields, purpose, status, recordId));
  };
  for (const p of granted) add(p, true, '/purposes_granted');
  for (const p of denied) add(p, false, '/purposes_denied');
  return { records, problems };
}
