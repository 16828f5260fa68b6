import { FINDING_KINDS } from '../findings/finding.js';
import type { ConsentReport } from './consent-report.js';

/**
 * The consent report as RFC 4180 CSV for a spreadsheet: sections one under
 * the other (summary, per purpose and channel, proof of stopping, evidence),
 * each after an empty line and a title row, so the file opens as one sheet a
 * person reads top to bottom. Missing values (no channel, no record) are
 * empty cells.
 */

type Cell = string | number | null;

/**
 * Characters a spreadsheet reads as the start of a formula (or that hide
 * one). A leading single quote makes the cell text in Excel, LibreOffice and
 * Google Sheets, so a contract name or source such as `=HYPERLINK(...)` that
 * reached the ledger is shown, never evaluated.
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** One field: formula guard on text, then quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  // Counts are never negative; a number is written as the number it is.
  let text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string' && FORMULA_START.has(text.charAt(0))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(cells: Cell[]): string {
  return cells.map(csvField).join(',');
}

/**
 * Violation kinds present anywhere in the report, in the order findings list
 * them (missing, denied, withdrawn, expired, GPC), kinds this build does not
 * know after them by name. One table column each, in CSV and HTML alike.
 */
export function violationKinds(report: ConsentReport): string[] {
  const kinds = new Set(Object.keys(report.violations_by_kind));
  for (const row of report.by_purpose_channel) for (const k of Object.keys(row.violations)) kinds.add(k);
  for (const e of report.evidence) if (e.outcome !== 'valid') kinds.add(e.outcome);
  const rank = (k: string) => {
    const i = (FINDING_KINDS as readonly string[]).indexOf(k);
    return i === -1 ? FINDING_KINDS.length : i;
  };
  return [...kinds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function summary(report: ConsentReport): Cell[][] {
  return [
    ['Consent compliance report'],
    ['from', report.from],
    ['to', report.to],
    ['generated_at', report.generated_at],
    ['events', report.totals.events],
    ['valid', report.totals.valid],
    ['violations', report.totals.violations],
    ['users_affected', report.totals.users_affected],
  ];
}

function byPurposeChannel(report: ConsentReport, kinds: string[]): Cell[][] {
  return [
    ['By purpose and channel'],
    ['purpose', 'channel', 'events', 'valid', ...kinds, 'users_affected'],
    ...report.by_purpose_channel.map((r) => [
      r.purpose,
      r.channel,
      r.events,
      r.valid,
      ...kinds.map((k) => r.violations[k] ?? 0),
      r.users_affected,
    ]),
  ];
}

function withdrawals(report: ConsentReport): Cell[][] {
  return [
    ['Proof of stopping: events processed after each withdrawal'],
    ['withdrawn_at', 'user', 'purpose', 'record_id', 'events_after'],
    ...report.withdrawals.map((w) => [w.withdrawn_at, w.user, w.purpose, w.record_id, w.events_after]),
  ];
}

function evidence(report: ConsentReport): Cell[][] {
  const title = report.evidence_truncated
    ? `Evidence (first ${report.evidence.length} rows: more checks matched than the limit of ${report.evidence_limit})`
    : 'Evidence';
  return [
    [title],
    [
      'occurred_at',
      'event_id',
      'contract',
      'version',
      'purpose',
      'channel',
      'outcome',
      'user',
      'record_id',
      'record_status',
      'record_occurred_at',
      'consent_version',
      'source',
      'lawful_basis',
      'region',
    ],
    ...report.evidence.map((e) => [
      e.occurred_at,
      e.event_id,
      e.contract,
      e.version,
      e.purpose,
      e.channel,
      e.outcome,
      e.user,
      e.record?.record_id ?? null,
      e.record?.status ?? null,
      e.record?.occurred_at ?? null,
      e.record?.consent_version ?? null,
      e.record?.source ?? null,
      e.record?.lawful_basis ?? null,
      e.record?.region ?? null,
    ]),
  ];
}

export function renderConsentCsv(report: ConsentReport): string {
  const kinds = violationKinds(report);
  const sections = [summary(report), byPurposeChannel(report, kinds), withdrawals(report), evidence(report)];
  const lines = sections.flatMap((rows, i) => [...(i > 0 ? [''] : []), ...rows.map(csvLine)]);
  return `${lines.join('\r\n')}\r\n`;
}
