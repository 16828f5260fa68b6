import type { FindingKind } from '../findings/finding.js';
import { CATALOG, downgrade, type EventType } from './catalog.js';
import type { Random } from './random.js';
import {
  BAD_CHANNELS,
  PII_CARDS,
  PII_DOMAINS,
  PII_NAMES,
  UNKNOWN_ATTRIBUTES,
  UNKNOWN_EVENT_TYPES,
} from './vocab.js';

export const FAULT_KINDS = [
  'malformed_json',
  'not_an_object',
  'missing_event_type',
  'unknown_contract',
  'unknown_version',
  'deprecated_version',
  'missing_required',
  'type_mismatch',
  'enum_violation',
  'format_violation',
  'unknown_attribute',
  'null_attribute',
  'pii_in_text',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The finding a checker must report for each fault. null_attribute shows
 * only over a window (the completeness share falls), pii_in_text only to a
 * PII detector: the event itself still validates.
 */
export const EXPECTED_FINDING: Record<FaultKind, FindingKind> = {
  malformed_json: 'malformed',
  not_an_object: 'malformed',
  missing_event_type: 'malformed',
  unknown_contract: 'unknown_contract',
  unknown_version: 'unknown_version',
  deprecated_version: 'deprecated_version',
  missing_required: 'missing_required',
  type_mismatch: 'type_mismatch',
  enum_violation: 'enum_violation',
  format_violation: 'format_violation',
  unknown_attribute: 'unknown_attribute',
  null_attribute: 'completeness_drop',
  pii_in_text: 'pii_leak',
};

/** The version named by unknown_version faults: no shipped contract has it. */
export const UNKNOWN_VERSION = '9.9.9';

/**
 * Consent events feed the consent ledger: breaking one would raise consent
 * findings on every later event of that user, so they only get the faults
 * that leave them valid against the version they resolve to.
 */
const CONSENT_SAFE: ReadonlySet<FaultKind> = new Set(['deprecated_version', 'null_attribute']);

/** Whether `kind` can be injected into an event of `type` and produce exactly the named problem. */
export function faultFits(kind: FaultKind, type: EventType): boolean {
  if (type === 'consent.updated' && !CONSENT_SAFE.has(kind)) return false;
  if (kind === 'pii_in_text') return CATALOG[type].freeText.length > 0;
  return true;
}

export interface Injected {
  raw: string;
  /** The event as sent, when `raw` is a JSON object. */
  event?: Record<string, unknown>;
  /** JSON pointer of the attribute the fault concerns, when there is one. */
  attribute: string | null;
}

/**
 * Injects `kind` into a clean event (mutated in place) and serialises it.
 * The caller checks faultFits first.
 */
export function injectFault(
  kind: FaultKind,
  type: EventType,
  event: Record<string, unknown>,
  rng: Random,
): Injected {
  const shape = CATALOG[type];
  switch (kind) {
    case 'malformed_json': {
      // Any proper prefix of a JSON object's text is invalid JSON: a line cut short by a crashed writer.
      const text = JSON.stringify(event);
      return { raw: text.slice(0, rng.int(1, text.length - 1)), attribute: null };
    }
    case 'not_an_object': {
      // A double-encoded event (a JSON string holding the object) is the usual cause; null and numbers too.
      const raw = rng.chance(0.7) ? JSON.stringify(JSON.stringify(event)) : rng.chance(0.5) ? 'null' : '42';
      return { raw, attribute: null };
    }
    case 'missing_event_type':
      delete event.event_type;
      return done(event, '/event_type');
    case 'unknown_contract':
      event.event_type = rng.pick(UNKNOWN_EVENT_TYPES);
      return done(event, '/event_type');
    case 'unknown_version':
      event.schema_version = UNKNOWN_VERSION;
      return done(event, '/schema_version');
    case 'deprecated_version':
      downgrade(type, event);
      event.schema_version = shape.deprecated;
      return done(event, '/schema_version');
    case 'missing_required': {
      const key = rng.pick(shape.required);
      delete event[key];
      return done(event, `/${key}`);
    }
    case 'type_mismatch': {
      const { key, wrong } = rng.pick(shape.mismatch);
      event[key] = wrong === 'string' ? String(event[key]) : rng.int(1, 9999);
      return done(event, `/${key}`);
    }
    case 'enum_violation': {
      if (rng.chance(0.25)) {
        event.channel = rng.pick(BAD_CHANNELS);
        return done(event, '/channel');
      }
      const { key, bad } = rng.pick(shape.enums);
      event[key] = rng.pick(bad);
      return done(event, `/${key}`);
    }
    case 'format_violation': {
      if (rng.chance(0.5)) {
        // RFC 7231 date instead of RFC 3339: Date.parse still reads it, the contract does not.
        event.occurred_at = new Date(String(event.occurred_at)).toUTCString();
        return done(event, '/occurred_at');
      }
      event.event_id = String(event.event_id).replace(/-/g, '');
      return done(event, '/event_id');
    }
    case 'unknown_attribute': {
      const [key, values] = rng.pick(UNKNOWN_ATTRIBUTES);
      event[key] = rng.pick(values);
      return done(event, `/${key}`);
    }
    case 'null_attribute': {
      const { key, nullable } = rng.pick(shape.completeness);
      if (nullable) event[key] = null;
      else delete event[key];
      return done(event, `/${key}`);
    }
    case 'pii_in_text': {
      const key = rng.pick(shape.freeText);
      event[key] = `${String(event[key])} ${piiSentence(rng)}`;
      return done(event, `/${key}`);
    }
  }
}

function done(event: Record<string, unknown>, attribute: string): Injected {
  return { raw: JSON.stringify(event), event, attribute };
}

function piiSentence(rng: Random): string {
  switch (rng.int(0, 2)) {
    case 0:
      return `My email is ${rng.pick(PII_NAMES)}${rng.int(1, 99)}@${rng.pick(PII_DOMAINS)}.`;
    case 1:
      return `Call me back on +1 415 555 ${rng.int(100, 199).toString().padStart(4, '0')}.`;
    default:
      return `My card number is ${rng.pick(PII_CARDS)}.`;
  }
}

/**
 * Reads one `--fault` option: `kind=rate` with rate in [0, 1], or
 * `all=rate` for every kind. Throws an error naming the bad part.
 */
export function parseFaultSpec(spec: string): Partial<Record<FaultKind, number>> {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`fault "${spec}" must be kind=rate, e.g. missing_required=0.01`);
  const name = spec.slice(0, eq).trim();
  const text = spec.slice(eq + 1).trim();
  const rate = Number(text);
  if (text === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error(`fault rate "${text}" for ${name} must be a number between 0 and 1`);
  }
  if (name === 'all') return Object.fromEntries(FAULT_KINDS.map((k) => [k, rate]));
  if (!(FAULT_KINDS as readonly string[]).includes(name)) {
    throw new Error(`unknown fault "${name}"; known: all, ${FAULT_KINDS.join(', ')}`);
  }
  return { [name]: rate };
}
