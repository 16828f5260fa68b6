import {
  type Finding,
  type FindingKind,
  isViolation,
  type Severity,
  severityAtLeast,
} from '../findings/finding.js';
import { EVENT_OUTCOMES, type EventOutcome } from '../metrics/metrics.js';

/** A finding with the input line of its event (null for windowed findings, which span many events). */
export type LocatedFinding = Finding & { line: number | null };

export interface Example {
  event_id: string | null;
  line: number | null;
}

/** Findings of one contract, kind and attribute: what a report lists as one row. */
export interface FindingGroup {
  contract: string | null;
  kind: FindingKind;
  attribute: string | null;
  /** The most severe severity seen in the group. */
  severity: Severity;
  violation: boolean;
  count: number;
  versions: Set<string>;
  examples: Example[];
}

const MAX_EXAMPLES = 3;

/**
 * What `earshot check` has seen so far: events by outcome, findings grouped
 * for the report, and (for --format json) every finding with its line.
 * Grouping as it goes keeps a text report of a large file in bounded memory.
 */
export class CheckTally {
  events = 0;
  readonly outcomes: Record<EventOutcome, number> = Object.fromEntries(
    EVENT_OUTCOMES.map((o) => [o, 0]),
  ) as Record<EventOutcome, number>;
  readonly byKind = new Map<FindingKind, number>();
  readonly bySeverity = new Map<Severity, number>();
  readonly groups = new Map<string, FindingGroup>();
  /** Findings that are violations (error or critical), counted with their `count`. */
  violations = 0;
  warnings = 0;
  /** Events with at least one violation. */
  eventsWithViolations = 0;
  readonly findings: LocatedFinding[] | null;

  constructor(opts: { keepFindings?: boolean } = {}) {
    this.findings = opts.keepFindings ? [] : null;
  }

  addEvent(status: EventOutcome, findings: readonly Finding[], line: number | null): void {
    this.events++;
    this.outcomes[status]++;
    if (findings.some(isViolation)) this.eventsWithViolations++;
    for (const f of findings) this.addFinding(f, line);
  }

  /** Findings of windowed detectors, reported once at the end. */
  addWindowed(findings: readonly Finding[]): void {
    for (const f of findings) this.addFinding(f, null);
  }

  get failed(): boolean {
    return this.violations > 0;
  }

  private addFinding(f: Finding, line: number | null): void {
    this.byKind.set(f.kind, (this.byKind.get(f.kind) ?? 0) + f.count);
    this.bySeverity.set(f.severity, (this.bySeverity.get(f.severity) ?? 0) + f.count);
    const violation = isViolation(f);
    if (violation) this.violations += f.count;
    else this.warnings += f.count;
    const key = `${f.contract ?? ''}\u0000${f.kind}\u0000${f.attribute ?? ''}`;
    let group = this.groups.get(key);
    if (!group) {
      group = {
        contract: f.contract,
        kind: f.kind,
        attribute: f.attribute,
        severity: f.severity,
        violation,
        count: 0,
        versions: new Set(),
        examples: [],
      };
      this.groups.set(key, group);
    }
    group.count += f.count;
    if (severityAtLeast(f.severity, group.severity)) group.severity = f.severity;
    group.violation ||= violation;
    if (f.version) group.versions.add(f.version);
    if (group.examples.length < MAX_EXAMPLES && (f.event_id !== null || line !== null)) {
      group.examples.push({ event_id: f.event_id, line });
    }
    this.findings?.push({ ...f, line });
  }
}
