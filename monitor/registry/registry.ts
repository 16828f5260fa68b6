import type { ValidateFunction } from 'ajv';
import semver from 'semver';
import { safePointer, safeToken } from '../findings/safe-token.js';
import { createAjv } from './ajv.js';
import { type CompatibilityReport, checkCompatibility } from './compatibility.js';
import type { Contract } from './contract.js';
import { ContractError } from './contract-error.js';

/** A contract version ready for the hot path: its validator compiled once. */
export interface ResolvedContract {
  readonly contract: Contract;
  readonly validate: ValidateFunction;
  /** Top-level properties the schema declares (schema drift compares traffic to these). */
  readonly declared: ReadonlySet<string>;
}

export type Resolution =
  | { ok: true; resolved: ResolvedContract; deprecated: boolean }
  | { ok: false; kind: 'unknown_contract' | 'unknown_version' | 'retired_version'; message: string };

export interface AddOptions {
  /** Refuse the version when it breaks the compatibility it declares (default true). */
  enforceCompatibility?: boolean;
}

/**
 * Why a schema does not compile, in earshot's words: ajv's own messages
 * quote the schema (a pattern, a $ref, a format name), which may hold
 * anything, so only the kind of problem is kept.
 */
export function compileProblem(message: string): string {
  if (/regular expression/i.test(message)) return 'a pattern is not a valid regular expression';
  if (/resolve reference/i.test(message)) return 'a $ref cannot be resolved';
  if (/unknown format/i.test(message)) return 'a format is not known';
  if (/schema is invalid/i.test(message)) return 'the schema breaks JSON Schema 2020-12';
  return 'the schema does not compile';
}

/**
 * The versioned contracts earshot checks events against. Versions are kept
 * per contract in semver order; each is compiled with ajv once, when added.
 */
export class ContractRegistry {
  private readonly ajv = createAjv();
  private readonly byName = new Map<string, ResolvedContract[]>();
  /** name -> version chosen for events without schema_version; recomputed on add. */
  private readonly defaultVersion = new Map<string, ResolvedContract>();

  /**
   * Adds a version. Throws ContractError when the schema does not compile,
   * the version exists with other content, or (unless disabled) the version
   * breaks its declared compatibility with earlier versions.
   */
  add(contract: Contract, options: AddOptions = {}): CompatibilityReport {
    const versions = this.byName.get(contract.contract) ?? [];
    const existing = versions.find((v) => v.contract.version === contract.version);
    if (existing) {
      if (JSON.stringify(existing.contract) === JSON.stringify(contract)) {
        return checkCompatibility(this.earlier(contract), contract);
      }
      // A lifecycle move (active -> deprecated -> retired) changes nothing events are checked against.
      if (
        JSON.stringify({ ...existing.contract, status: null }) ===
        JSON.stringify({ ...contract, status: null })
      ) {
        const i = versions.indexOf(existing);
        versions[i] = { ...existing, contract };
        this.refreshDefault(contract.contract);
        return checkCompatibility(this.earlier(contract), contract);
      }
      throw new ContractError(
        `${contract.contract} ${contract.version} exists with other content; publish a new version`,
        'version_exists',
        [{ pointer: '/version', reason: 'version exists with other content' }],
      );
    }
    if (options.enforceCompatibility !== false) {
      const latest = versions[versions.length - 1];
      // A version slipped under a later one would leave that later version's compatibility unchecked.
      if (latest && semver.lt(contract.version, latest.contract.version)) {
        throw new ContractError(
          `${contract.contract} ${contract.version} is below the latest version ${latest.contract.version}; publish a higher version`,
          'invalid_contract',
          [{ pointer: '/version', reason: `must be above ${latest.contract.version}` }],
        );
      }
    }
    let validate: ValidateFunction;
    try {
      // Versions of one contract often share a $id; ajv keys schemas by $id, so compile without it.
      const { $id: _id, ...schema } = contract.schema;
      validate = this.ajv.compile(schema);
    } catch (err) {
      const reason = compileProblem((err as Error).message);
      throw new ContractError(
        `${contract.contract} ${contract.version}: schema does not compile: ${reason}`,
        'invalid_contract',
        [{ pointer: '/schema', reason }],
      );
    }
    const report = checkCompatibility(this.earlier(contract), contract);
    if (!report.compatible && options.enforceCompatibility !== false) {
      throw new ContractError(
        `${contract.contract} ${contract.version} breaks its declared ${contract.compatibility} compatibility`,
        'incompatible_contract',
        // Pointers name the schema's own keys, which could be anything: shown safe, as in findings.
        report.violations.map((v) => ({
          pointer: safePointer(v.pointer),
          reason: `against ${v.version}: ${v.reason}`,
        })),
      );
    }
    const props = (contract.schema.properties ?? {}) as Record<string, unknown>;
    const resolved: ResolvedContract = { contract, validate, declared: new Set(Object.keys(props)) };
    versions.push(resolved);
    versions.sort((a, b) => semver.compare(a.contract.version, b.contract.version));
    this.byName.set(contract.contract, versions);
    this.refreshDefault(contract.contract);
    return report;
  }

  /** Earlier versions of the same contract, oldest first (what compatibility is checked against). */
  earlier(contract: Contract): Contract[] {
    return (this.byName.get(contract.contract) ?? [])
      .map((v) => v.contract)
      .filter((c) => semver.lt(c.version, contract.version));
  }

  /**
   * Picks the version an event is checked against: the one it names, or the
   * latest active one (the latest deprecated one when none is active).
   */
  resolve(eventType: string, version: string | null): Resolution {
    const versions = this.byName.get(eventType);
    if (!versions)
      return {
        ok: false,
        kind: 'unknown_contract',
        message: `no contract for event type ${safeToken(eventType)}`,
      };
    let resolved: ResolvedContract | undefined;
    if (version === null) {
      resolved = this.defaultVersion.get(eventType);
      if (!resolved) {
        // Every version retired means the event type itself is retired, not that a version is missing.
        const retired = versions.some((v) => v.contract.status === 'retired');
        return retired
          ? { ok: false, kind: 'retired_version', message: `every version of ${eventType} is retired` }
          : { ok: false, kind: 'unknown_version', message: `${eventType} has no active version` };
      }
    } else {
      resolved = versions.find((v) => v.contract.version === version);
      if (!resolved) {
        return {
          ok: false,
          kind: 'unknown_version',
          message: `${eventType} has no version ${safeToken(version)}`,
        };
      }
    }
    const status = resolved.contract.status;
    if (status === 'retired') {
      return {
        ok: false,
        kind: 'retired_version',
        message: `${eventType} ${resolved.contract.version} is retired`,
      };
    }
    return { ok: true, resolved, deprecated: status === 'deprecated' };
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** All versions of a contract, oldest first. */
  versions(name: string): Contract[] {
    return (this.byName.get(name) ?? []).map((v) => v.contract);
  }

  get(name: string, version: string): Contract | undefined {
    return this.byName.get(name)?.find((v) => v.contract.version === version)?.contract;
  }

  /** Every (contract, version) pair: the label sets metrics start at zero. */
  labelPairs(): Array<{ contract: string; version: string }> {
    const out: Array<{ contract: string; version: string }> = [];
    for (const [name, versions] of this.byName) {
      for (const v of versions) out.push({ contract: name, version: v.contract.version });
    }
    return out;
  }

  private refreshDefault(name: string): void {
    const versions = this.byName.get(name) ?? [];
    const pick =
      [...versions].reverse().find((v) => v.contract.status === 'active') ??
      [...versions].reverse().find((v) => v.contract.status === 'deprecated');
    if (pick) this.defaultVersion.set(name, pick);
    else this.defaultVersion.delete(name);
  }
}
