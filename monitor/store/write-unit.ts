import type { ConsentCheck } from '../../detectors/consent/consent-detector.js';
import type { ConsentRecord } from '../../detectors/consent/consent-record.js';
import type { FindingAggregate } from './store.js';

/**
 * What one flush hands the store, written in one transaction: the finding
 * aggregates, the new consent records and the consent checks held at that
 * moment, and the ids of stream events whose results they carry. `id` makes
 * the write exactly-once: the store claims it in the same transaction, so a
 * unit written twice (replayed from the spool, or retried after a commit whose
 * answer was lost) changes nothing the second time.
 */
export interface WriteUnit {
  id: string;
  findings: FindingAggregate[];
  records: ConsentRecord[];
  checks: ConsentCheck[];
  /** Events taken from a message stream, recorded so a redelivery is recognised. */
  eventIds: string[];
}

export function isEmptyUnit(u: WriteUnit): boolean {
  return (
    u.findings.length === 0 && u.records.length === 0 && u.checks.length === 0 && u.eventIds.length === 0
  );
}

/** Rows in the unit, for metrics and logs. */
export function unitRows(u: WriteUnit): number {
  return u.findings.length + u.records.length + u.checks.length + u.eventIds.length;
}

/**
 * The unit cut into one unit per row, each with an id derived from the
 * unit's, so that a unit the database refuses as data can be written row by
 * row, dropping only the rows refused, and still exactly once on replay.
 */
export function splitUnit(u: WriteUnit): WriteUnit[] {
  const one = (suffix: string, part: Partial<WriteUnit>): WriteUnit => ({
    id: `${u.id}/${suffix}`,
    findings: [],
    records: [],
    checks: [],
    eventIds: [],
    ...part,
  });
  return [
    ...u.records.map((r, i) => one(`r${i}`, { records: [r] })),
    ...u.findings.map((f, i) => one(`f${i}`, { findings: [f] })),
    ...u.checks.map((c, i) => one(`c${i}`, { checks: [c] })),
    // Event ids last: an event is marked done once every row it produced is in.
    ...(u.eventIds.length > 0 ? [one('e', { eventIds: u.eventIds })] : []),
  ];
}
