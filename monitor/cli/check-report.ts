import { EVENT_OUTCOMES } from '../metrics/metrics.js';
import type { CheckTally, Example, FindingGroup } from './check-tally.js';
import { count, plural } from './format.js';

/** Groups listed per section before "... and N more". */
const MAX_ROWS = 25;

function example(e: Example): string {
  if (e.event_id === null) return `line ${e.line}`;
  const id = e.event_id.length > 40 ? `${e.event_id.slice(0, 39)}…` : e.event_id;
  return e.line === null ? id : `line ${e.line} (${id})`;
}

function byCountDesc(a: FindingGroup, b: FindingGroup): number {
  return (
    b.count - a.count || a.kind.localeCompare(b.kind) || (a.attribute ?? '').localeCompare(b.attribute ?? '')
  );
}

function contractLabel(g: FindingGroup): string {
  if (g.contract === null) return '(no contract)';
  return g.versions.size > 0 ? `${g.contract} ${[...g.versions].sort().join(', ')}` : g.contract;
}

/** Violations: per contract (largest first), one row per kind and attribute with examples. */
function violationLines(groups: FindingGroup[]): string[] {
  const byContract = new Map<string, FindingGroup[]>();
  for (const g of groups) {
    const key = g.contract ?? '';
    byContract.set(key, [...(byContract.get(key) ?? []), g]);
  }
  const total = (gs: FindingGroup[]) => gs.reduce((n, g) => n + g.count, 0);
  const contracts = [...byContract.values()].sort((a, b) => total(b) - total(a));
  const lines: string[] = [];
  let rows = 0;
  for (const gs of contracts) {
    if (rows >= MAX_ROWS) break;
    const versions = new Set(gs.flatMap((g) => [...g.versions]));
    lines.push(`  ${contractLabel({ ...gs[0]!, versions })}: ${count(total(gs))}`);
    const sorted = gs.sort(byCountDesc);
    const kindWidth = Math.max(...sorted.map((g) => g.kind.length));
    const attrWidth = Math.max(...sorted.map((g) => (g.attribute ?? '').length));
    for (const g of sorted) {
      if (rows++ >= MAX_ROWS) break;
      lines.push(
        `    ${g.kind.padEnd(kindWidth)}  ${(g.attribute ?? '').padEnd(attrWidth)}  ${count(g.count).padStart(7)}`,
      );
      if (g.examples.length > 0) lines.push(`      e.g. ${g.examples.map(example).join(', ')}`);
    }
  }
  if (groups.length > MAX_ROWS) lines.push(`  ... and ${plural(groups.length - MAX_ROWS, 'more row')}`);
  return lines;
}

/** Warnings: one row per kind, contract and attribute, no examples. */
function warningLines(groups: FindingGroup[]): string[] {
  const sorted = [...groups].sort(byCountDesc);
  const shown = sorted.slice(0, MAX_ROWS);
  const kindWidth = Math.max(...shown.map((g) => g.kind.length));
  const lines = shown.map(
    (g) =>
      `  ${g.kind.padEnd(kindWidth)}  ${count(g.count).padStart(7)}  ${g.contract ?? '(no contract)'}${g.attribute ? ` ${g.attribute}` : ''}`,
  );
  if (sorted.length > MAX_ROWS) lines.push(`  ... and ${plural(sorted.length - MAX_ROWS, 'more row')}`);
  return lines;
}

/** The text report of `earshot check`. */
export function formatCheckText(tally: CheckTally, source: string): string {
  const outcomes = EVENT_OUTCOMES.map((o) => `${o} ${count(tally.outcomes[o])}`).join(' · ');
  const lines = [`Checked ${plural(tally.events, 'event')} from ${source}`, `  ${outcomes}`];
  const groups = [...tally.groups.values()];
  const violations = groups.filter((g) => g.violation);
  const warnings = groups.filter((g) => !g.violation);
  if (violations.length > 0) {
    lines.push(
      '',
      `Violations: ${plural(tally.violations, 'finding')} in ${plural(tally.eventsWithViolations, 'event')}`,
      ...violationLines(violations),
    );
  }
  if (warnings.length > 0) {
    lines.push('', `Warnings: ${plural(tally.warnings, 'finding')}`, ...warningLines(warnings));
  }
  lines.push(
    '',
    tally.failed
      ? `FAIL: ${plural(tally.violations, 'violation')}`
      : `PASS: no violations${tally.warnings > 0 ? ` (${plural(tally.warnings, 'warning')})` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The machine-readable report of `earshot check --format json`. */
export function checkJson(tally: CheckTally, source: string) {
  return {
    source,
    passed: !tally.failed,
    events: tally.events,
    outcomes: tally.outcomes,
    events_with_violations: tally.eventsWithViolations,
    violations: tally.violations,
    warnings: tally.warnings,
    by_kind: Object.fromEntries([...tally.byKind].sort((a, b) => b[1] - a[1])),
    by_severity: Object.fromEntries(tally.bySeverity),
    groups: [...tally.groups.values()].sort(byCountDesc).map((g) => ({
      contract: g.contract,
      versions: [...g.versions].sort(),
      kind: g.kind,
      attribute: g.attribute,
      severity: g.severity,
      violation: g.violation,
      count: g.count,
      examples: g.examples,
    })),
    findings: tally.findings ?? [],
  };
}
