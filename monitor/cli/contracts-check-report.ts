import type { CompatibilityReport } from '../registry/compatibility.js';
import type { ContractsCheckResult, VersionCheck } from './contracts-check.js';
import { plural } from './format.js';

const BUMP_RANK: Record<string, number> = { patch: 0, minor: 1, major: 2 };

/** YAML errors come with a multi-line excerpt; the first line says where and why. */
function oneLine(reason: string): string {
  return (reason.split('\n')[0] ?? '').replace(/:\s*$/, '');
}

function verdict(holds: boolean): string {
  return holds ? 'yes' : 'no';
}

/** "bump minor (suggested major: too small)" */
function bumpLine(report: CompatibilityReport): string {
  if (report.actualBump === 'initial') return 'first version';
  const actual = report.actualBump;
  const suggested = report.suggestedBump;
  const tooSmall = actual === 'none' || (BUMP_RANK[actual] ?? 0) < (BUMP_RANK[suggested] ?? 0);
  return `bump ${actual} from ${report.previous} (suggested ${suggested}${tooSmall ? ': the version number understates the change' : ''})`;
}

function versionLines(v: VersionCheck): string[] {
  const head = [v.version.padEnd(8), (v.status ?? '?').padEnd(10), (v.compatibility ?? '?').padEnd(8)].join(
    '  ',
  );
  const lines: string[] = [];
  if (v.problems.length > 0) {
    lines.push(`  ${head}  INVALID`);
    for (const p of v.problems) lines.push(`      ${p.file}: ${p.pointer} ${oneLine(p.reason)}`);
    return lines;
  }
  const report = v.report!;
  lines.push(
    `  ${head}  ${report.compatible ? 'ok' : 'BREAKS its declared compatibility'}  ${bumpLine(report)}`,
  );
  for (const a of report.against) {
    lines.push(`      against ${a.version}: backward ${verdict(a.backward)}, forward ${verdict(a.forward)}`);
    const width = Math.max(0, ...a.changes.map((c) => (c.pointer || '/').length));
    for (const c of a.changes) {
      lines.push(
        `        ${(c.pointer || '/').padEnd(width)}  ${c.change}: ${c.detail}  [backward ${verdict(c.backward)}, forward ${verdict(c.forward)}]`,
      );
    }
  }
  for (const viol of report.violations) {
    lines.push(`      violation against ${viol.version}: ${viol.pointer || '/'} ${viol.reason}`);
  }
  return lines;
}

/** The text report of `earshot contracts check`. */
export function formatContractsText(result: ContractsCheckResult): string {
  const lines = [`Contracts in ${result.dir}`];
  for (const c of result.contracts) {
    lines.push('', `${c.name}`);
    for (const v of c.versions) lines.push(...versionLines(v));
  }
  const versions = result.contracts.flatMap((c) => c.versions);
  const invalid = versions.filter((v) => v.problems.length > 0).length;
  const breaking = versions.filter((v) => v.problems.length === 0 && v.report && !v.report.compatible).length;
  lines.push('');
  if (versions.length === 0) lines.push('No contract files found.');
  else if (result.ok) {
    lines.push(
      `PASS: ${plural(versions.length, 'version')} of ${plural(result.contracts.length, 'contract')}`,
    );
  } else {
    const parts = [];
    if (invalid > 0) parts.push(`${plural(invalid, 'version')} invalid`);
    if (breaking > 0) parts.push(`${plural(breaking, 'version')} breaking the declared compatibility`);
    lines.push(`FAIL: ${parts.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
