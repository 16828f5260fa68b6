import {
  CONSENT_MODE_SIGNALS,
  type ConsentModeSignal,
  LAWFUL_BASES,
  type LawfulBasis,
} from './consent-policy.js';
import {
  CONSENT_STATUSES,
  type ConsentModeValue,
  type ConsentRecord,
  type ConsentStatus,
} from './consent-record.js';

/** Strings the ledger stores as small ids: few distinct values, each kept once. */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  /** The value's id, assigned on first sight; -1 for null. */
  id(value: string | null): number {
    if (value === null) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  value(id: number): string | null {
    return id < 0 ? null : this.values[id]!;
  }
}

/*
 * An entry is 40 bytes of one buffer, read through two views: doubles 0-1
 * are the event time and the expiry (NaN: none), int32s 4-9 the link to the
 * user's previous entry, the packed bits, and the ids of the version,
 * source and region, and the user flags (read on the user's newest entry)
 * beside a 24-bit hash of the record id.
 */
const F64_STRIDE = 5;
const I32_STRIDE = 10;
const PREV = 4;
const BITS = 5;
const VERSION = 6;
const SOURCE = 7;
const REGION = 8;
const FLAGS = 9;

// Packed bits: purpose id (16), status (2), GPC (2: none, false, true), lawful basis (3: none or index + 1),
// Consent Mode (2 per signal: absent, granted, denied).
const PURPOSE_MASK = 0xffff;
const STATUS_SHIFT = 16;
const GPC_SHIFT = 18;
const BASIS_SHIFT = 20;
const MODE_SHIFT = 23;

// The FLAGS int32: user flags in the low byte, the record id's hash above them.
const FLAG_MASK = 0xff;
const ID_HASH_SHIFT = 8;

/**
 * A 24-bit FNV-1a hash of a record id. Looking for a duplicate among a
 * user's entries compares it first: the id strings themselves are scattered
 * over the heap, and reading one per entry was a cache miss each, most of
 * the cost of recording a consent change.
 */
export function recordIdHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 24)) & 0xffffff;
}

export const GPC_NONE = 0;
export const GPC_FALSE = 1;
export const GPC_TRUE = 2;
export const MODE_GRANTED = 1;
export const MODE_DENIED = 2;

const STATUS_CODES: Record<ConsentStatus, number> = { granted: 0, denied: 1, withdrawn: 2 };
export const STATUS_GRANTED = 0;
export const STATUS_DENIED = 1;
export const STATUS_WITHDRAWN = 2;

/**
 * The consent ledger's records in the form the hot path reads: fixed-size
 * entries in one typed buffer, each user's entries linked newest first,
 * strings kept once as ids. A million users' records as objects cost about
 * a kilobyte a user and a chain of cache misses per read (user, list,
 * record, boxed time); here a read is the entry's own 40 bytes, and the
 * entries of one consent change sit side by side. Record ids stay strings:
 * they are evidence, read only when a check is kept.
 */
export class LedgerEntries {
  f64: Float64Array;
  i32: Int32Array;
  private readonly ids: Array<string | undefined> = [];
  readonly purposes = new Interner();
  readonly versions = new Interner();
  readonly sources = new Interner();
  readonly regions = new Interner();
  /** Entries ever handed out (the high-water mark); freed ones are reused first. */
  private top = 0;
  /** Freed entries, linked through their PREV field; -1 when none. */
  private freeHead = -1;
  private live = 0;

  constructor(capacity = 1024) {
    const buffer = new ArrayBuffer(capacity * F64_STRIDE * 8);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  /** Entries in use. */
  get size(): number {
    return this.live;
  }

  /** A new entry holding the record, linked to nothing; its flags are 0. */
  add(r: ConsentRecord): number {
    const e = this.take();
    const expires = r.expires_at === null ? Number.NaN : (r.expires_ms ?? Date.parse(r.expires_at));
    const purpose = this.purposes.id(r.purpose);
    if (purpose > PURPOSE_MASK) throw new Error('the consent ledger holds at most 65,536 purposes');
    let mode = 0;
    if (r.consent_mode !== null) {
      for (let s = 0; s < CONSENT_MODE_SIGNALS.length; s++) {
        const v = r.consent_mode[CONSENT_MODE_SIGNALS[s]!];
        if (v !== undefined) mode |= (v === 'granted' ? MODE_GRANTED : MODE_DENIED) << (2 * s);
      }
    }
    const basis = r.lawful_basis === null ? 0 : LAWFUL_BASES.indexOf(r.lawful_basis) + 1;
    const gpc = r.gpc === null ? GPC_NONE : r.gpc ? GPC_TRUE : GPC_FALSE;
    this.f64[e * F64_STRIDE] = r.occurred_ms;
    this.f64[e * F64_STRIDE + 1] = expires;
    const i = e * I32_STRIDE;
    this.i32[i + PREV] = -1;
    this.i32[i + BITS] =
      purpose |
      (STATUS_CODES[r.status] << STATUS_SHIFT) |
      (gpc << GPC_SHIFT) |
      (basis << BASIS_SHIFT) |
      (mode << MODE_SHIFT);
    this.i32[i + VERSION] = this.versions.id(r.consent_version);
    this.i32[i + SOURCE] = this.sources.id(r.source);
    this.i32[i + REGION] = this.regions.id(r.region);
    this.i32[i + FLAGS] = recordIdHash(r.record_id) << ID_HASH_SHIFT;
    this.ids[e] = r.record_id;
    this.live++;
    return e;
  }

  /** Returns the entry for reuse. */
  release(e: number): void {
    this.ids[e] = undefined;
    this.i32[e * I32_STRIDE + PREV] = this.freeHead;
    this.freeHead = e;
    this.live--;
  }

  /** The event time, in ms. */
  ms(e: number): number {
    return this.f64[e * F64_STRIDE]!;
  }

  /** The record's own expiry in ms, NaN when it has none. */
  expiresMs(e: number): number {
    return this.f64[e * F64_STRIDE + 1]!;
  }

  prev(e: number): number {
    return this.i32[e * I32_STRIDE + PREV]!;
  }

  setPrev(e: number, prev: number): void {
    this.i32[e * I32_STRIDE + PREV] = prev;
  }

  /** The user flags (0-255) kept on the entry. */
  flags(e: number): number {
    return this.i32[e * I32_STRIDE + FLAGS]! & FLAG_MASK;
  }

  setFlags(e: number, flags: number): void {
    const i = e * I32_STRIDE + FLAGS;
    this.i32[i] = (this.i32[i]! & ~FLAG_MASK) | (flags & FLAG_MASK);
  }

  /** True when the entry's record id is `id`, whose recordIdHash is `hash`: the string is read only when the hashes agree. */
  hasRecordId(e: number, id: string, hash: number): boolean {
    return this.i32[e * I32_STRIDE + FLAGS]! >>> ID_HASH_SHIFT === hash && this.ids[e] === id;
  }

  purposeId(e: number): number {
    return this.i32[e * I32_STRIDE + BITS]! & PURPOSE_MASK;
  }

  status(e: number): number {
    return (this.i32[e * I32_STRIDE + BITS]! >>> STATUS_SHIFT) & 3;
  }

  gpc(e: number): number {
    return (this.i32[e * I32_STRIDE + BITS]! >>> GPC_SHIFT) & 3;
  }

  /** The lawful basis recorded, null when none. */
  basis(e: number): LawfulBasis | null {
    const b = (this.i32[e * I32_STRIDE + BITS]! >>> BASIS_SHIFT) & 7;
    return b === 0 ? null : LAWFUL_BASES[b - 1]!;
  }

  /** A Consent Mode signal's value by its index in CONSENT_MODE_SIGNALS: 0 absent, MODE_GRANTED, MODE_DENIED. */
  mode(e: number, signal: number): number {
    return (this.i32[e * I32_STRIDE + BITS]! >>> (MODE_SHIFT + 2 * signal)) & 3;
  }

  version(e: number): string | null {
    return this.versions.value(this.i32[e * I32_STRIDE + VERSION]!);
  }

  region(e: number): string | null {
    return this.regions.value(this.i32[e * I32_STRIDE + REGION]!);
  }

  recordId(e: number): string {
    return this.ids[e]!;
  }

  /** The entry as the record it was made from (for timelines and tests, not the hot path). */
  toRecord(e: number, userId: string): ConsentRecord {
    const expires = this.expiresMs(e);
    let consentMode: ConsentRecord['consent_mode'] = null;
    for (let s = 0; s < CONSENT_MODE_SIGNALS.length; s++) {
      const v = this.mode(e, s);
      if (v === 0) continue;
      consentMode ??= {};
      consentMode[CONSENT_MODE_SIGNALS[s] as ConsentModeSignal] = (
        v === MODE_GRANTED ? 'granted' : 'denied'
      ) as ConsentModeValue;
    }
    const gpc = this.gpc(e);
    const ms = this.ms(e);
    return {
      record_id: this.recordId(e),
      user_id: userId,
      purpose: this.purposes.value(this.purposeId(e))!,
      status: CONSENT_STATUSES[this.status(e)]!,
      occurred_at: new Date(ms).toISOString(),
      occurred_ms: ms,
      consent_version: this.version(e),
      source: this.sources.value(this.i32[e * I32_STRIDE + SOURCE]!),
      lawful_basis: this.basis(e),
      region: this.region(e),
      gpc: gpc === GPC_NONE ? null : gpc === GPC_TRUE,
      consent_mode: consentMode,
      expires_at: Number.isNaN(expires) ? null : new Date(expires).toISOString(),
      ...(Number.isNaN(expires) ? {} : { expires_ms: expires }),
    };
  }

  private take(): number {
    if (this.freeHead !== -1) {
      const e = this.freeHead;
      this.freeHead = this.prev(e);
      return e;
    }
    if ((this.top + 1) * F64_STRIDE > this.f64.length) this.grow();
    return this.top++;
  }

  private grow(): void {
    const buffer = new ArrayBuffer(this.f64.byteLength * 2);
    // Copied as bytes: the int32 halves must not pass through doubles, where a NaN may be rewritten.
    new Uint8Array(buffer).set(new Uint8Array(this.f64.buffer));
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }
}
