import { randomUUID } from 'node:crypto';

/** One format for every detector's findings (see DESIGN.md, "Finding"). */

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FINDING_KINDS = [
  'malformed',
  'unknown_contract',
  'unknown_version',
  'deprecated_version',
  'retired_version',
  'missing_required',
  'type_mismatch',
  'enum_violation',
  'format_violation',
  'constraint_violation',
  'unknown_attribute',
  'completeness_drop',
  'pii_leak',
  'pii_mismatch',
  'consent_missing',
  'consent_denied',
  'consent_withdrawn',
  'consent_expired',
  'gpc_opt_out',
  'consent_basis_invalid',
  'consent_version_stale',
  'consent_gated_attribute',
  'calibration_drift',
  'embedding_drift',
  'distribution_drift',
  'srm',
  'lift_negative',
  'lift_positive',
  'arm_crossover',
  'unknown_arm',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/**
 * Severity each kind gets unless a detector says otherwise. `error` and above
 * mean the event violates its contract: `check` exits 1 and enforce mode
 * rejects the event.
 */
export const DEFAULT_SEVERITY: Record<FindingKind, Severity> = {
  malformed: 'error',
  unknown_contract: 'error',
  unknown_version: 'error',
  deprecated_version: 'warning',
  retired_version: 'error',
  missing_required: 'error',
  type_mismatch: 'error',
  enum_violation: 'error',
  format_violation: 'error',
  constraint_violation: 'error',
  unknown_attribute: 'warning',
  completeness_drop: 'warning',
  pii_leak: 'critical',
  pii_mismatch: 'warning',
  consent_missing: 'error',
  consent_denied: 'critical',
  consent_withdrawn: 'critical',
  consent_expired: 'error',
  gpc_opt_out: 'critical',
  consent_basis_invalid: 'error',
  consent_version_stale: 'warning',
  consent_gated_attribute: 'critical',
  calibration_drift: 'warning',
  embedding_drift: 'warning',
  distribution_drift: 'warning',
  srm: 'critical',
  lift_negative: 'warning',
  lift_positive: 'info',
  arm_crossover: 'warning',
  unknown_arm: 'warning',
};

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export function severityAtLeast(s: Severity, floor: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[floor];
}

/** True when the finding means the event breaks its contract (error or critical). */
export function isViolation(f: Pick<Finding, 'severity'>): boolean {
  return severityAtLeast(f.severity, 'error');
}

export interface Finding {
  id: string;
  detector: string;
  kind: FindingKind;
  severity: Severity;
  contract: string | null;
  version: string | null;
  /** JSON pointer of the attribute concerned, or null for the whole event. */
  attribute: string | null;
  event_id: string | null;
  occurred_at: string | null;
  detected_at: string;
  message: string;
  /** Never raw PII: redacted text, salted hashes, counts and sample event ids only. */
  evidence: Record<string, unknown>;
  count: number;
}

export type FindingInput = Pick<Finding, 'detector' | 'kind' | 'message'> &
  Partial<Omit<Finding, 'detector' | 'kind' | 'message'>>;

/** Builds a finding, filling id, severity, timestamps and count. */
export function makeFinding(input: FindingInput, now: Date = new Date()): Finding {
  return {
    id: input.id ?? randomUUID(),
    detector: input.detector,
    kind: input.kind,
    severity: input.severity ?? DEFAULT_SEVERITY[input.kind],
    contract: input.contract ?? null,
    version: input.version ?? null,
    attribute: input.attribute ?? null,
    event_id: input.event_id ?? null,
    occurred_at: input.occurred_at ?? null,
    detected_at: input.detected_at ?? now.toISOString(),
    message: input.message,
    evidence: input.evidence ?? {},
    count: input.count ?? 1,
  };
}
