/** A data contract as written in contracts/<event_type>/<version>.yaml (see DESIGN.md). */

export const CONTRACT_STATUSES = ['draft', 'active', 'deprecated', 'retired'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** `*_transitive` checks against every earlier version, the plain form against the previous one only. */
export const COMPATIBILITY_MODES = [
  'backward',
  'forward',
  'full',
  'backward_transitive',
  'forward_transitive',
  'full_transitive',
  'none',
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/** A JSON Schema (2020-12) object; kept loose because contracts may use any keyword. */
export type JsonSchema = { [key: string]: unknown };

/**
 * How redact mode treats PII: `replace` with `<ENTITY>`, `mask` with `*`
 * (cards and phones keep their last four digits), `hash` (salted SHA-256,
 * stable across events), `redact` (remove the text), `drop` (remove the
 * whole attribute), `none` (leave it).
 */
export const REDACT_OPERATORS = ['replace', 'mask', 'hash', 'redact', 'drop', 'none'] as const;
export type RedactOperator = (typeof REDACT_OPERATORS)[number];

export interface AttributeGovernance {
  /** Kind of personal data the attribute may hold (contact, free_text, identifier, ... or an entity name). */
  pii?: string;
  /**
   * How redact mode treats it: one operator, or one per entity type with an
   * optional `default` (e.g. `{ CREDIT_CARD: mask, default: replace }`).
   */
  redact?: RedactOperator | Record<string, RedactOperator>;
  /** Consent purposes the user must have granted for this attribute to be processed. */
  requires_consent?: string[];
  /** PII that the contract declares on purpose: not a leak. */
  declared?: boolean;
  description?: string;
}

export interface Contract {
  contract: string;
  version: string;
  status: ContractStatus;
  owner: string;
  compatibility: CompatibilityMode;
  description?: string;
  purposes: string[];
  schema: JsonSchema;
  /** Governance per attribute, keyed by JSON pointer (e.g. `/text`, `/customer/email`). */
  attributes: Record<string, AttributeGovernance>;
  quality?: {
    /** Minimum non-null share over the window, per JSON pointer. */
    completeness?: Record<string, number>;
  };
  monitors?: Record<string, unknown>;
}
