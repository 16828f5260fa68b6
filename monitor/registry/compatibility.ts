import semver from 'semver';
import { directions, type SchemaChange } from './compat-change.js';
import { compareSchemas } from './compat-schema-diff.js';
import type { CompatibilityMode, Contract } from './contract.js';

export type { SchemaChange } from './compat-change.js';
export { compareSchemas } from './compat-schema-diff.js';

export type Bump = 'major' | 'minor' | 'patch';

export interface CompatibilityReport {
  /** The candidate's declared compatibility. */
  mode: CompatibilityMode;
  /** No violations. */
  compatible: boolean;
  /**
   * One entry per version compared, oldest first: the versions the mode
   * checks, plus always the previous version (whose changes drive the
   * suggested bump), so mode `none` still shows what changed.
   */
  against: Array<{ version: string; changes: SchemaChange[]; backward: boolean; forward: boolean }>;
  /** One per change that breaks a direction the mode requires, per version checked. */
  violations: Array<{ version: string; pointer: string; reason: string }>;
  /** What the changes against the previous version call for (`patch` when there is none). */
  suggestedBump: Bump;
  /** What the version number did against the previous version. */
  actualBump: Bump | 'none' | 'initial';
  /** The version just below the candidate, when there is one. */
  previous?: string;
}

/**
 * major when a change breaks backward compatibility (older events may be
 * refused), minor when all keep it but one breaks forward compatibility (the
 * contract accepts more than before), patch otherwise.
 */
export function suggestBump(changes: readonly SchemaChange[]): Bump {
  const { backward, forward } = directions(changes);
  if (!backward) return 'major';
  if (!forward) return 'minor';
  return 'patch';
}

/** What the version number did from `previous` to `current`. */
export function versionBump(previous: string | undefined, current: string): Bump | 'none' | 'initial' {
  if (previous === undefined) return 'initial';
  if (!semver.valid(previous) || !semver.valid(current) || !semver.gt(current, previous)) return 'none';
  const diff = semver.diff(previous, current);
  if (diff === 'major' || diff === 'premajor') return 'major';
  if (diff === 'minor' || diff === 'preminor') return 'minor';
  return 'patch';
}

function required(mode: CompatibilityMode): { backward: boolean; forward: boolean; transitive: boolean } {
  return {
    backward: mode.startsWith('backward') || mode.startsWith('full'),
    forward: mode.startsWith('forward') || mode.startsWith('full'),
    transitive: mode.endsWith('_transitive'),
  };
}

function byVersion(a: Contract, b: Contract): number {
  return semver.valid(a.version) && semver.valid(b.version) ? semver.compare(a.version, b.version) : 0;
}

/**
 * Checks a candidate version against earlier versions of its contract, as
 * its declared compatibility asks (Confluent Schema Registry's semantics):
 * backward/forward/full against the previous version, the `_transitive`
 * forms against every earlier one, `none` never violates. Every earlier
 * version counts, whatever its status (draft and retired included).
 * A version number too small for the changes is not a violation: it shows
 * as suggestedBump vs actualBump.
 */
export function checkCompatibility(earlier: Contract[], candidate: Contract): CompatibilityReport {
  const mode = candidate.compatibility;
  const need = required(mode);
  const sorted = [...earlier].sort(byVersion);
  const previous = sorted.at(-1);
  const checked = mode === 'none' ? [] : need.transitive ? sorted : previous ? [previous] : [];
  const compared = previous && !checked.includes(previous) ? [...checked, previous] : checked;

  const against: CompatibilityReport['against'] = [];
  const violations: CompatibilityReport['violations'] = [];
  let previousChanges: SchemaChange[] = [];
  for (const version of compared) {
    const changes = compareSchemas(version.schema, candidate.schema);
    against.push({ version: version.version, changes, ...directions(changes) });
    if (version === previous) previousChanges = changes;
    if (!checked.includes(version)) continue;
    for (const change of changes) {
      const broken = [
        need.backward && !change.backward ? 'backward' : undefined,
        need.forward && !change.forward ? 'forward' : undefined,
      ].filter((d) => d !== undefined);
      if (broken.length === 0) continue;
      violations.push({
        version: version.version,
        pointer: change.pointer,
        reason: `${change.detail}: breaks ${broken.join(' and ')} compatibility (${consequence(broken, version.version)})`,
      });
    }
  }

  return {
    mode,
    compatible: violations.length === 0,
    against,
    violations,
    suggestedBump: suggestBump(previousChanges),
    actualBump: versionBump(previous?.version, candidate.version),
    ...(previous ? { previous: previous.version } : {}),
  };
}

function consequence(broken: string[], version: string): string {
  const parts: string[] = [];
  if (broken.includes('backward')) parts.push(`events valid under ${version} may be refused`);
  if (broken.includes('forward')) parts.push(`new events may be refused by consumers on ${version}`);
  return parts.join('; ');
}
