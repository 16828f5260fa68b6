import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import semver from 'semver';
import type { CompatibilityReport } from '../registry/compatibility.js';
import type { CompatibilityMode, Contract, ContractStatus } from '../registry/contract.js';
import { ContractError } from '../registry/contract-error.js';
import { parseContractText } from '../registry/parse-contract.js';
import { ContractRegistry } from '../registry/registry.js';

/** One reason a contract file is refused: where (file and JSON pointer) and why. */
export interface LintProblem {
  file: string;
  pointer: string;
  reason: string;
}

export interface VersionCheck {
  /** From the file name when the file does not parse. */
  version: string;
  file: string;
  status: ContractStatus | null;
  compatibility: CompatibilityMode | null;
  /** Parse, format, path and compile problems. */
  problems: LintProblem[];
  /** The classification against earlier versions, when the version parsed and compiled. */
  report: CompatibilityReport | null;
  /** No problem and the declared compatibility holds. */
  ok: boolean;
}

export interface ContractCheck {
  name: string;
  versions: VersionCheck[];
  ok: boolean;
}

export interface ContractsCheckResult {
  dir: string;
  contracts: ContractCheck[];
  ok: boolean;
}

const CONTRACT_FILE = /\.(ya?ml|json)$/;

function problemsOf(err: unknown, file: string): LintProblem[] {
  if (err instanceof ContractError && err.problems.length > 0) {
    return err.problems.map((p) => ({ file, pointer: p.pointer, reason: p.reason }));
  }
  return [{ file, pointer: '/', reason: (err as Error).message }];
}

/** The folder and file name must agree with what the file says, as when the service loads it. */
function pathProblems(contract: Contract, folder: string, file: string): LintProblem[] {
  const out: LintProblem[] = [];
  if (contract.contract !== folder) {
    out.push({
      file,
      pointer: '/contract',
      reason: `is "${contract.contract}" but the folder is "${folder}"`,
    });
  }
  const version = basename(file, extname(file));
  if (contract.version !== version) {
    out.push({
      file,
      pointer: '/version',
      reason: `is "${contract.version}" but the file is "${basename(file)}"`,
    });
  }
  return out;
}

async function checkFolder(dir: string, folder: string): Promise<ContractCheck> {
  const files = (await readdir(join(dir, folder))).filter((f) => CONTRACT_FILE.test(f)).sort();
  const checks: VersionCheck[] = [];
  const parsed: Array<{ contract: Contract; check: VersionCheck }> = [];
  // Each file on its own, so that one bad file does not hide the problems of the others.
  for (const f of files) {
    const file = join(dir, folder, f);
    const check: VersionCheck = {
      version: basename(f, extname(f)),
      file,
      status: null,
      compatibility: null,
      problems: [],
      report: null,
      ok: false,
    };
    checks.push(check);
    let contract: Contract;
    try {
      contract = parseContractText(await readFile(file, 'utf8'), file);
    } catch (err) {
      check.problems.push(...problemsOf(err, file));
      continue;
    }
    check.version = contract.version;
    check.status = contract.status;
    check.compatibility = contract.compatibility;
    check.problems.push(...pathProblems(contract, folder, file));
    if (check.problems.length === 0) parsed.push({ contract, check });
  }

  // Oldest first, so each version is compared with the ones before it.
  parsed.sort((a, b) => semver.compare(a.contract.version, b.contract.version));
  const registry = new ContractRegistry();
  for (const { contract, check } of parsed) {
    try {
      check.report = registry.add(contract, { enforceCompatibility: false });
    } catch (err) {
      check.problems.push(...problemsOf(err, check.file));
    }
  }
  for (const c of checks) c.ok = c.problems.length === 0 && c.report !== null && c.report.compatible;
  checks.sort((a, b) =>
    semver.valid(a.version) && semver.valid(b.version)
      ? semver.compare(a.version, b.version)
      : a.version.localeCompare(b.version),
  );
  return { name: folder, versions: checks, ok: checks.every((c) => c.ok) };
}

/**
 * Lints every contract file under `dir` (contracts/<event_type>/<version>.yaml),
 * compiles each schema, and classifies each version against the earlier ones
 * as its declared compatibility asks. Throws only when `dir` cannot be read.
 */
export async function checkContractsDir(dir: string): Promise<ContractsCheckResult> {
  const folders = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const contracts: ContractCheck[] = [];
  for (const folder of folders) {
    const check = await checkFolder(dir, folder);
    if (check.versions.length > 0) contracts.push(check);
  }
  return { dir, contracts, ok: contracts.every((c) => c.ok) };
}
