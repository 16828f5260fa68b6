import type { ConsentReport, EvidenceRecord, EvidenceRow, WithdrawalRow } from './consent-report.js';
import { violationKinds } from './consent-report-csv.js';

/**
 * The consent report as one self-contained HTML5 page a compliance officer
 * reads on screen and prints: inline CSS, no script, nothing fetched, and a
 * Content-Security-Policy that forbids everything but the inline style, so a
 * value that slipped past escaping still could not run or call out.
 *
 * Every value goes through `esc`. Totals carry `data-total`, kind counts
 * `data-kind`, holding the bare number, so tests and tools read them from the
 * DOM without parsing prose.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text and attribute values alike. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Plain digits, no locale separators: the page and the JSON show the same number. */
function num(n: number): string {
  return esc(String(n));
}

/** "1 withdrawal", "2 withdrawals". */
function plural(n: number, word: string): string {
  return `${num(n)} ${esc(n === 1 ? word : `${word}s`)}`;
}

/** A share that never reads 100% or 0% unless it is: 12815 of 12840 is 99.8%, 1 of 50000 is <0.1%. */
function share(part: number, whole: number): string {
  if (whole <= 0) return '';
  if (part === whole) return '100%';
  if (part === 0) return '0%';
  const p = (part * 100) / whole;
  if (p < 0.1) return '<0.1%';
  return `${Math.min(Number(p.toFixed(1)), 99.9)}%`;
}

/**
 * An identifier (kind, purpose, contract) that may wrap after its
 * underscores and dots, so wide tables still fit a printed page. Breaks go
 * in after escaping: no entity `esc` writes holds `_`, `.` or `T`.
 */
function ident(value: string): string {
  return esc(value).replace(/[_.]/g, '$&<wbr>');
}

/** A timestamp as given (RFC 3339), allowed to wrap between date and time. */
function time(iso: string): string {
  return `<time datetime="${esc(iso)}">${esc(iso).replace('T', '<wbr>T')}</time>`;
}

/** A value that may be absent: an em dash in grey rather than an empty cell. */
function opt(value: string | null): string {
  return value === null ? '<span class="none">—</span>' : esc(value);
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
.meta, .note, footer { color: #555; }
.totals { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; }
.totals div { border: 1px solid #ccc; border-radius: 4px; padding: .5rem .9rem; min-width: 10rem; }
.totals dt { font-size: .85rem; color: #555; }
.totals dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
.totals .share { font-size: .9rem; font-weight: 400; color: #555; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.none { color: #888; }
.bad { color: #a40000; font-weight: 700; }
.ok { color: #1d6b1d; font-weight: 600; }
.record { display: block; }
td.rec { min-width: 11rem; }
td.hash { min-width: 12ch; }
table.narrow { width: auto; min-width: 24rem; }
footer { margin-top: 2rem; border-top: 1px solid #ccc; padding-top: .5rem; font-size: .85rem; }
@page { margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8.5pt; }
  th, td { padding: .2rem .35rem; }
  td.rec { min-width: 8rem; }
  td.hash { min-width: 10ch; }
  th { background: none; }
  .totals div { border-color: #999; }
  thead { display: table-header-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .bad { color: #000; text-decoration: underline; }
}
`;

function summarySection(report: ConsentReport): string {
  const t = report.totals;
  const box = (label: string, key: string, value: number, extra = '') =>
    `<div><dt>${esc(label)}</dt><dd><span data-total="${esc(key)}">${num(value)}</span>${extra}</dd></div>`;
  const pct = (part: number) => {
    const s = share(part, t.events);
    return s === '' ? '' : ` <span class="share">(${esc(s)} of events)</span>`;
  };
  return `<section id="summary">
<h2>Summary</h2>
<dl class="totals">
${box('Events processed', 'events', t.events)}
${box('With valid consent', 'valid', t.valid, pct(t.valid))}
${box('Violations', 'violations', t.violations, pct(t.violations))}
${box('Users affected', 'users_affected', t.users_affected)}
</dl>
</section>`;
}

function kindsSection(report: ConsentReport): string {
  const entries = Object.entries(report.violations_by_kind).sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  );
  const body =
    entries.length === 0
      ? '<p class="ok">No violations in the period.</p>'
      : `<table class="narrow">
<thead><tr><th scope="col">Kind</th><th scope="col" class="n">Violations</th><th scope="col" class="n">Share</th></tr></thead>
<tbody>
${entries
  .map(
    ([kind, n]) =>
      `<tr><td>${ident(kind)}</td><td class="n" data-kind="${esc(kind)}">${num(n)}</td><td class="n">${esc(share(n, report.totals.violations))}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>`;
  return `<section id="violations-by-kind">
<h2>Violations by kind</h2>
${body}
</section>`;
}

function purposeSection(report: ConsentReport): string {
  const kinds = violationKinds(report);
  const rows = report.by_purpose_channel;
  const body =
    rows.length === 0
      ? '<p class="note">No events were processed for any purpose in the period.</p>'
      : `<table>
<thead><tr><th scope="col">Purpose</th><th scope="col">Channel</th><th scope="col" class="n">Events</th><th scope="col" class="n">Valid</th>${kinds
          .map((k) => `<th scope="col" class="n">${ident(k)}</th>`)
          .join('')}<th scope="col" class="n">Users affected</th></tr></thead>
<tbody>
${rows
  .map((r) => {
    const cells = kinds.map((k) => {
      const n = r.violations[k] ?? 0;
      return `<td class="n${n > 0 ? ' bad' : ''}">${num(n)}</td>`;
    });
    return `<tr><td>${ident(r.purpose)}</td><td>${opt(r.channel)}</td><td class="n">${num(r.events)}</td><td class="n">${num(r.valid)}</td>${cells.join('')}<td class="n">${num(r.users_affected)}</td></tr>`;
  })
  .join('\n')}
</tbody>
</table>`;
  return `<section id="by-purpose-channel">
<h2>By purpose and channel</h2>
${body}
</section>`;
}

function withdrawalRow(w: WithdrawalRow): string {
  const after =
    w.events_after > 0
      ? `<td class="n bad">${num(w.events_after)} <span>(processed after withdrawal)</span></td>`
      : `<td class="n">${num(w.events_after)}</td>`;
  return `<tr><td>${time(w.withdrawn_at)}</td><td class="mono hash">${esc(w.user)}</td><td>${ident(w.purpose)}</td><td class="mono">${esc(w.record_id)}</td>${after}</tr>`;
}

function stoppingSection(report: ConsentReport): string {
  const ws = report.withdrawals;
  const late = ws.filter((w) => w.events_after > 0);
  const lateEvents = late.reduce((n, w) => n + w.events_after, 0);
  let verdict: string;
  if (ws.length === 0) verdict = '<p class="note">No withdrawals in the period.</p>';
  else if (late.length === 0)
    verdict = `<p class="ok">No processing after any withdrawal (${plural(ws.length, 'withdrawal')} checked).</p>`;
  else
    verdict = `<p class="bad">Processing continued after ${num(late.length)} of ${plural(ws.length, 'withdrawal')}: ${plural(lateEvents, 'event')} processed afterwards.</p>`;
  const table =
    ws.length === 0
      ? ''
      : `
<table>
<thead><tr><th scope="col">Withdrawn at</th><th scope="col">User</th><th scope="col">Purpose</th><th scope="col">Record</th><th scope="col" class="n">Events after</th></tr></thead>
<tbody>
${ws.map(withdrawalRow).join('\n')}
</tbody>
</table>`;
  return `<section id="proof-of-stopping">
<h2>Proof of stopping</h2>
<p class="note">Every withdrawal in the period, with the events processed for its purpose afterwards. Each should be zero.</p>
${verdict}${table}
</section>`;
}

function recordCell(r: EvidenceRecord | null): string {
  if (r === null) return '<td><span class="none">no record</span></td>';
  const line = (label: string, v: string | null) => `<span class="record">${esc(label)}: ${opt(v)}</span>`;
  return `<td class="mono rec">${[
    line('id', r.record_id),
    line('status', r.status),
    line('at', r.occurred_at),
    line('version', r.consent_version),
    line('source', r.source),
    line('basis', r.lawful_basis),
    line('region', r.region),
  ].join('')}</td>`;
}

function evidenceRow(e: EvidenceRow): string {
  const outcome = e.outcome === 'valid' ? esc(e.outcome) : `<span class="bad">${ident(e.outcome)}</span>`;
  return `<tr><td>${time(e.occurred_at)}</td><td>${outcome}</td><td>${ident(e.purpose)}</td><td>${opt(e.channel)}</td><td>${ident(e.contract)} ${esc(e.version)}</td><td class="mono">${opt(e.event_id)}</td><td class="mono hash">${esc(e.user)}</td>${recordCell(e.record)}</tr>`;
}

function evidenceSection(report: ConsentReport): string {
  const note = report.evidence_truncated
    ? `<p class="note" id="evidence-truncated">Truncated: more checks matched than the limit of ${num(report.evidence_limit)} rows; the ${num(report.evidence.length)} shown are violations first, newest first.</p>`
    : '';
  const body =
    report.evidence.length === 0
      ? '<p class="note">No consent checks in the period.</p>'
      : `<table>
<thead><tr><th scope="col">Occurred at</th><th scope="col">Outcome</th><th scope="col">Purpose</th><th scope="col">Channel</th><th scope="col">Contract</th><th scope="col">Event</th><th scope="col">User</th><th scope="col">Consent record applied</th></tr></thead>
<tbody>
${report.evidence.map(evidenceRow).join('\n')}
</tbody>
</table>`;
  return `<section id="evidence">
<h2>Evidence</h2>
${note}${body}
</section>`;
}

export function renderConsentHtml(report: ConsentReport): string {
  const title = `Consent compliance report, ${report.from} to ${report.to}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Consent compliance report</h1>
<p class="meta">Period ${time(report.from)} to ${time(report.to)} (end excluded). Generated ${time(report.generated_at)}.</p>
</header>
<main>
${summarySection(report)}
${kindsSection(report)}
${purposeSection(report)}
${stoppingSection(report)}
${evidenceSection(report)}
</main>
<footer>
<p>Users are shown as salted hashes, consent records and events by their ids: this report holds no raw personal data.</p>
</footer>
</body>
</html>
`;
}
