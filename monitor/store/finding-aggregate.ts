import { type Finding, type Severity, severityAtLeast } from '../findings/finding.js';
import { type FindingAggregate, MAX_SAMPLE_EVENT_IDS } from './store.js';

/** The fields that identify one deduplicated findings row. */
type KeyFields = Pick<FindingAggregate, 'detector' | 'kind' | 'contract' | 'version' | 'attribute'>;

/** Dedup key of a finding in the window starting at `windowStartMs`. */
export function dedupKey(f: KeyFields, windowStartMs: number): string {
  // \u0001 cannot appear in names, versions or JSON pointers earshot emits, so keys do not collide.
  return `${f.detector}\u0001${f.kind}\u0001${f.contract ?? ''}\u0001${f.version ?? ''}\u0001${f.attribute ?? ''}\u0001${windowStartMs}`;
}

/**
 * When the finding happened for dedup purposes: detected_at, which the
 * process sets itself, then occurred_at, which comes from the event.
 */
export function findingTime(f: Pick<Finding, 'detected_at' | 'occurred_at'>, now: () => number): number {
  const detected = Date.parse(f.detected_at);
  if (!Number.isNaN(detected)) return detected;
  const occurred = f.occurred_at ? Date.parse(f.occurred_at) : Number.NaN;
  return Number.isNaN(occurred) ? now() : occurred;
}

export function windowStart(timeMs: number, windowMs: number): number {
  return Math.floor(timeMs / windowMs) * windowMs;
}

/** A new aggregate holding one finding. */
export function toAggregate(f: Finding, timeMs: number, windowStartMs: number): FindingAggregate {
  const seen = new Date(timeMs).toISOString();
  return {
    ...f,
    count: f.count > 0 ? f.count : 1,
    window_start: new Date(windowStartMs).toISOString(),
    first_seen: seen,
    last_seen: seen,
    sample_event_ids: f.event_id ? [f.event_id] : [],
  };
}

function addSamples(into: string[], ids: readonly string[]): void {
  for (const id of ids) {
    if (into.length >= MAX_SAMPLE_EVENT_IDS) return;
    if (!into.includes(id)) into.push(id);
  }
}

/**
 * Folds `from` into `into` (same dedup key): counts add up, the seen range
 * widens, the most severe severity stays, the newer finding's message,
 * evidence and event describe the row, samples are appended up to the cap.
 */
export function mergeAggregate(into: FindingAggregate, from: FindingAggregate): void {
  into.count += from.count;
  if (from.first_seen < into.first_seen) into.first_seen = from.first_seen;
  if (from.last_seen >= into.last_seen) {
    into.last_seen = from.last_seen;
    into.message = from.message;
    into.evidence = from.evidence;
    into.detected_at = from.detected_at;
    if (from.event_id) {
      into.event_id = from.event_id;
      into.occurred_at = from.occurred_at;
    }
  }
  into.severity = moreSevere(into.severity, from.severity);
  addSamples(into.sample_event_ids, from.sample_event_ids);
}

export function moreSevere(a: Severity, b: Severity): Severity {
  return severityAtLeast(b, a) ? b : a;
}
