/**
 * The consent policy: the catalogue of purposes events are processed for,
 * and per purpose what makes processing lawful. Configuration, validated by
 * CONSENT_POLICY_SCHEMA (part of the config file's `detectors.consent`).
 */

export const LAWFUL_BASES = [
  'consent',
  'legitimate_interest',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

export const CONSENT_MODE_SIGNALS = [
  'ad_storage',
  'analytics_storage',
  'ad_user_data',
  'ad_personalization',
] as const;
export type ConsentModeSignal = (typeof CONSENT_MODE_SIGNALS)[number];

export interface PurposePolicy {
  /** What makes processing for this purpose lawful; only `consent` needs a ledger record. */
  lawful_basis: LawfulBasis;
  /** IAB TCF v2 purpose ids this purpose maps to, for reports. */
  tcf_purposes: number[];
  /** Days a grant stays valid (13 months is 395); null: until withdrawn. */
  expiry_days: number | null;
  /** True for sale and sharing: a Global Privacy Control signal opts the user out. */
  gpc_opt_out: boolean;
  /** The consent text version users must have agreed to; an older one is stale. Null: any. */
  current_version: string | null;
  /** The Google Consent Mode v2 signal that also governs this purpose; `denied` in a record denies it. */
  consent_mode: ConsentModeSignal | null;
}

export interface ConsentPolicy {
  purposes: Record<string, PurposePolicy>;
  /** Regions where processing needs consent first (GDPR, UK GDPR): no record means no consent. */
  opt_in_regions: string[];
  /** Regions where processing is allowed until the user opts out (most US states). */
  opt_out_regions: string[];
  /** The region of events and users that name none; null: treated as opt-in, the safe reading. */
  default_region: string | null;
}

const PURPOSE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    lawful_basis: { enum: [...LAWFUL_BASES], default: 'consent' },
    tcf_purposes: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 11 },
      uniqueItems: true,
      default: [],
    },
    expiry_days: { type: ['integer', 'null'], minimum: 1, default: 395 },
    gpc_opt_out: { type: 'boolean', default: false },
    current_version: { type: ['string', 'null'], minLength: 1, default: null },
    consent_mode: { enum: [...CONSENT_MODE_SIGNALS, null], default: null },
  },
} as const;

/** Purposes of the shipped contracts; a deployment lists its own. */
const DEFAULT_PURPOSES = {
  analytics: { tcf_purposes: [7, 8, 9], consent_mode: 'analytics_storage' },
  model_training: { tcf_purposes: [10] },
  personalization: { tcf_purposes: [5, 6] },
  advertising: { tcf_purposes: [2, 3, 4], gpc_opt_out: true, consent_mode: 'ad_personalization' },
  quality_assurance: { lawful_basis: 'legitimate_interest' },
  recording: {},
  sale: { gpc_opt_out: true },
};

export const CONSENT_POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { type: 'boolean', default: true },
    /** Users whose consent records stay in memory for the hot path. */
    cache_users: { type: 'integer', minimum: 1, default: 1_000_000 },
    purposes: {
      type: 'object',
      additionalProperties: PURPOSE_SCHEMA,
      propertyNames: { pattern: '^[a-z][a-z0-9_]{0,63}$' },
      default: DEFAULT_PURPOSES,
    },
    opt_in_regions: {
      type: 'array',
      items: { type: 'string', pattern: '^[A-Z]{2}(-[A-Z0-9]{1,3})?$' },
      // The EEA's states (GDPR), the UK, Switzerland and Brazil (LGPD).
      default: [
        ...'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(
          ' ',
        ),
        'GB',
        'CH',
        'BR',
      ],
    },
    opt_out_regions: {
      type: 'array',
      items: { type: 'string', pattern: '^[A-Z]{2}(-[A-Z0-9]{1,3})?$' },
      default: ['US', 'US-CA', 'US-CO', 'US-CT', 'US-VA', 'US-UT', 'US-TX', 'US-OR'],
    },
    default_region: { type: ['string', 'null'], default: null },
  },
} as const;

export interface ConsentConfig extends ConsentPolicy {
  enabled: boolean;
  cache_users: number;
}

/** How processing stands with no record for the user and purpose, by region. */
export function defaultAllows(policy: ConsentPolicy, region: string | null): boolean {
  const r = region ?? policy.default_region;
  if (r === null) return false;
  if (policy.opt_out_regions.includes(r)) return true;
  return false;
}

/** True when the region is one the catalogue knows (opt-in or opt-out). */
export function knownRegion(policy: ConsentPolicy, region: string): boolean {
  return policy.opt_in_regions.includes(region) || policy.opt_out_regions.includes(region);
}

/**
 * One purpose's rule in the shape the hot path reads: fixed fields on a
 * class (config objects are dictionaries, and each property read on one
 * costs a hash lookup), expiry in ms.
 */
export class PurposeRule {
  readonly needsConsent: boolean;
  readonly expiryMs: number;
  /** consentMode's index in CONSENT_MODE_SIGNALS, -1 for none. */
  readonly consentModeSignal: number;

  constructor(
    readonly purpose: string,
    readonly basis: LawfulBasis,
    expiryDays: number | null,
    readonly gpcOptOut: boolean,
    readonly currentVersion: string | null,
    readonly consentMode: ConsentModeSignal | null,
  ) {
    this.needsConsent = basis === 'consent';
    this.expiryMs = expiryDays === null ? Number.POSITIVE_INFINITY : expiryDays * 86_400_000;
    this.consentModeSignal = consentMode === null ? -1 : CONSENT_MODE_SIGNALS.indexOf(consentMode);
  }
}

/** The policy compiled once: rules by purpose and region sets. */
export class CompiledPolicy {
  readonly rules = new Map<string, PurposeRule>();
  private readonly optOut: ReadonlySet<string>;
  private readonly defaultRegion: string | null;

  constructor(readonly policy: ConsentPolicy) {
    for (const [name, p] of Object.entries(policy.purposes)) {
      this.rules.set(
        name,
        new PurposeRule(
          name,
          p.lawful_basis,
          p.expiry_days,
          p.gpc_opt_out,
          p.current_version,
          p.consent_mode,
        ),
      );
    }
    this.optOut = new Set(policy.opt_out_regions);
    this.defaultRegion = policy.default_region;
  }

  /** defaultAllows, from sets. */
  allowsWithoutRecord(region: string | null): boolean {
    const r = region ?? this.defaultRegion;
    return r !== null && this.optOut.has(r);
  }
}

const compiled = new WeakMap<ConsentPolicy, CompiledPolicy>();

/** The compiled form of a policy, made once per policy object. */
export function compilePolicy(policy: ConsentPolicy): CompiledPolicy {
  let c = compiled.get(policy);
  if (!c) {
    c = new CompiledPolicy(policy);
    compiled.set(policy, c);
  }
  return c;
}
