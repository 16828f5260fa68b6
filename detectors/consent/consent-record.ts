import { hash } from 'node:crypto';
import {
  CONSENT_MODE_SIGNALS,
  type ConsentModeSignal,
  type ConsentPolicy,
  knownRegion,
  LAWFUL_BASES,
  type LawfulBasis,
} from './consent-policy.js';

/** One user's stance on one purpose from a moment on: a row of the consent ledger. */
export const CONSENT_STATUSES = ['granted', 'denied', 'withdrawn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export type ConsentModeValue = 'granted' | 'denied';

export interface ConsentRecord {
  /**
   * Idempotency key: the same record recorded twice is one row. The
   * consent.updated event's id and purpose, an import row's `record_id`, or
   * a hash of the record's content.
   */
  record_id: string;
  user_id: string;
  purpose: string;
  status: ConsentStatus;
  /** When the user gave or withdrew it (RFC 3339, UTC): records apply by this time, however late they arrive. */
  occurred_at: string;
  occurred_ms: number;
  /** The consent text version the user saw. */
  consent_version: string | null;
  /** The consent management platform or channel that captured it. */
  source: string | null;
  lawful_basis: LawfulBasis | null;
  region: string | null;
  /** The Global Privacy Control signal seen with it: true opts out of sale and sharing. */
  gpc: boolean | null;
  /** Google Consent Mode v2 signals sent with it. */
  consent_mode: Partial<Record<ConsentModeSignal, ConsentModeValue>> | null;
  /** When the grant lapses, when the platform says so; otherwise the purpose's expiry applies. */
  expires_at: string | null;
  /** expires_at in ms, when read (the hot path compares numbers, not dates). */
  expires_ms?: number;
}

export type ReadResult = { ok: true; record: ConsentRecord } | { ok: false; error: string };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const MAX_TEXT = 256;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A timestamp already in the form parseTimestamp gives back: its text is its ISO form. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An RFC 3339 timestamp as UTC ISO text and ms, or null when it is not one. */
export function parseTimestamp(value: unknown): { iso: string; ms: number } | null {
  if (typeof value !== 'string') return null;
  const m = RFC3339.exec(value);
  if (m === null) return null;
  // Date.parse rolls 2024-02-30 over to March 1 and 24:00 to the next day: the fields must be a real date and time.
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return null;
  // From the fields (Date.UTC is far cheaper than Date.parse); years below 100 would be read as 19xx.
  if (y < 100) {
    const ms = Date.parse(value.replace(' ', 'T'));
    return Number.isNaN(ms) ? null : { iso: new Date(ms).toISOString(), ms };
  }
  // Fractions beyond milliseconds are cut, as Date.parse cuts them.
  const fraction = m[7] === undefined ? 0 : Number(`${m[7].slice(1)}00`.slice(0, 3));
  const zone = m[8]!;
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec, fraction) - offset;
  return { iso: CANONICAL.test(value) ? value : new Date(ms).toISOString(), ms };
}

function text(
  value: unknown,
  field: string,
): { ok: true; value: string | null } | { ok: false; error: string } {
  if (value === undefined || value === null || value === '') return { ok: true, value: null };
  if (typeof value !== 'string') return { ok: false, error: `${field} must be a string` };
  if (value.length > MAX_TEXT) return { ok: false, error: `${field} is longer than ${MAX_TEXT} characters` };
  return { ok: true, value };
}

function bool(value: unknown): boolean | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

/** What a record says besides its purpose, status and id: what every record of one consent change shares. */
export type ConsentFields = Omit<ConsentRecord, 'record_id' | 'purpose' | 'status'>;

/**
 * The fields of a record besides purpose, status and id from loosely typed
 * input (an import row, NDJSON or CSV, with Consent Mode signals as
 * `consent_mode.ad_storage` or an object), checked against the policy: a
 * known region, real timestamps. Errors name the field and never echo its
 * value, which may be personal data.
 */
export function readConsentFields(
  input: Record<string, unknown>,
  policy: ConsentPolicy,
): { ok: true; fields: ConsentFields } | { ok: false; error: string } {
  const user = input.user_id;
  if (typeof user !== 'string' || user.length === 0) return { ok: false, error: 'user_id is missing' };
  if (user.length > MAX_TEXT) return { ok: false, error: `user_id is longer than ${MAX_TEXT} characters` };
  const time = parseTimestamp(input.occurred_at);
  if (time === null) return { ok: false, error: 'occurred_at is not an RFC 3339 timestamp' };
  const version = text(input.consent_version, 'consent_version');
  if (!version.ok) return version;
  const source = text(input.source, 'source');
  if (!source.ok) return source;
  const basis = text(input.lawful_basis, 'lawful_basis');
  if (!basis.ok) return basis;
  if (basis.value !== null && !(LAWFUL_BASES as readonly string[]).includes(basis.value)) {
    return { ok: false, error: `lawful_basis must be one of ${LAWFUL_BASES.join(', ')}` };
  }
  const region = text(input.region, 'region');
  if (!region.ok) return region;
  if (region.value !== null && !knownRegion(policy, region.value)) {
    return { ok: false, error: 'region is outside the catalogue (opt_in_regions, opt_out_regions)' };
  }
  const expiresText = text(input.expires_at, 'expires_at');
  if (!expiresText.ok) return expiresText;
  let expires: { iso: string; ms: number } | null = null;
  if (expiresText.value !== null) {
    expires = parseTimestamp(expiresText.value);
    if (expires === null) return { ok: false, error: 'expires_at is not an RFC 3339 timestamp' };
  }
  const gpc = bool(input.gpc);
  if (gpc === undefined) return { ok: false, error: 'gpc must be true or false' };
  const mode = readConsentMode(input);
  if (typeof mode === 'string') return { ok: false, error: mode };
  return {
    ok: true,
    fields: {
      user_id: user,
      occurred_at: time.iso,
      occurred_ms: time.ms,
      consent_version: version.value,
      source: source.value,
      lawful_basis: basis.value as LawfulBasis | null,
      region: region.value,
      gpc,
      consent_mode: mode,
      expires_at: expires?.iso ?? null,
      expires_ms: expires?.ms,
    },
  };
}

/** A record from checked fields; without an id, one made from its content, so a re-import records nothing twice. */
export function consentRecord(
  f: ConsentFields,
  purpose: string,
  status: ConsentStatus,
  recordId: string | null,
): ConsentRecord {
  const record: ConsentRecord = {
    record_id: recordId ?? '',
    user_id: f.user_id,
    purpose,
    status,
    occurred_at: f.occurred_at,
    occurred_ms: f.occurred_ms,
    consent_version: f.consent_version,
    source: f.source,
    lawful_basis: f.lawful_basis,
    region: f.region,
    gpc: f.gpc,
    consent_mode: f.consent_mode,
    expires_at: f.expires_at,
    expires_ms: f.expires_ms,
  };
  if (recordId === null) record.record_id = contentId(record);
  return record;
}

/** A known purpose and status, or why not. */
function readPurposeAndStatus(
  input: Record<string, unknown>,
  policy: ConsentPolicy,
): { ok: true; purpose: string; status: ConsentStatus } | { ok: false; error: string } {
  const purpose = input.purpose;
  if (typeof purpose !== 'string' || purpose.length === 0) return { ok: false, error: 'purpose is missing' };
  if (!Object.hasOwn(policy.purposes, purpose)) {
    return { ok: false, error: 'purpose is not in the catalogue (detectors.consent.purposes)' };
  }
  const status = input.status;
  if (typeof status !== 'string' || !(CONSENT_STATUSES as readonly string[]).includes(status)) {
    return { ok: false, error: 'status must be granted, denied or withdrawn' };
  }
  return { ok: true, purpose, status: status as ConsentStatus };
}

/** A ledger record from loosely typed input (see readConsentFields), with a purpose in the catalogue and a status. */
export function readConsentRecord(input: Record<string, unknown>, policy: ConsentPolicy): ReadResult {
  const user = input.user_id;
  if (typeof user !== 'string' || user.length === 0) return { ok: false, error: 'user_id is missing' };
  const ps = readPurposeAndStatus(input, policy);
  if (!ps.ok) return ps;
  const read = readConsentFields(input, policy);
  if (!read.ok) return read;
  const id = text(input.record_id, 'record_id');
  if (!id.ok) return id;
  return { ok: true, record: consentRecord(read.fields, ps.purpose, ps.status, id.value) };
}

/** Consent Mode signals from `consent_mode: {...}` or flat `consent_mode.<signal>` columns; a string is an error. */
function readConsentMode(input: Record<string, unknown>): ConsentRecord['consent_mode'] | string {
  const nested = input.consent_mode;
  const out: Partial<Record<ConsentModeSignal, ConsentModeValue>> = {};
  let any = false;
  for (const signal of CONSENT_MODE_SIGNALS) {
    const v =
      nested !== null && typeof nested === 'object'
        ? (nested as Record<string, unknown>)[signal]
        : input[`consent_mode.${signal}`];
    if (v === undefined || v === null || v === '') continue;
    if (v !== 'granted' && v !== 'denied') return `consent_mode.${signal} must be granted or denied`;
    out[signal] = v;
    any = true;
  }
  if (nested !== undefined && nested !== null && nested !== '' && typeof nested !== 'object') {
    return 'consent_mode must be an object of Consent Mode v2 signals';
  }
  return any ? out : null;
}

/** A stable id from what the record says, so a re-imported file records nothing twice. */
export function contentId(r: Omit<ConsentRecord, 'record_id'>): string {
  const canonical = JSON.stringify([
    r.user_id,
    r.purpose,
    r.status,
    r.occurred_at,
    r.consent_version,
    r.source,
    r.lawful_basis,
    r.region,
    r.gpc,
    r.consent_mode,
    r.expires_at,
  ]);
  // One-shot: a Hash object per record costs more than the digest itself on a bulk import.
  return `h:${hash('sha256', canonical, 'hex').slice(0, 32)}`;
}
