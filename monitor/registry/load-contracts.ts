import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import semver from 'semver';
import type { Contract } from './contract.js';
import { ContractError } from './contract-error.js';
import { parseContractText } from './parse-contract.js';

export interface LoadedContract {
  contract: Contract;
  file: string;
}

/**
 * Reads contracts/<event_type>/<version>.yaml. The folder and file name must
 * agree with the `contract` and `version` keys inside, so a copied file that
 * was not updated is caught. Returned oldest version first per contract.
 */
export async function loadContractsDir(dir: string): Promise<LoadedContract[]> {
  const out: LoadedContract[] = [];
  const folders = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory());
  for (const folder of folders) {
    const files = (await readdir(join(dir, folder.name))).filter((f) => /\.(ya?ml|json)$/.test(f));
    for (const f of files) {
      const file = join(dir, folder.name, f);
      const contract = parseContractText(await readFile(file, 'utf8'), file);
      const version = basename(f, extname(f));
      const problems = [];
      if (contract.contract !== folder.name) {
        problems.push({
          pointer: '/contract',
          reason: `is "${contract.contract}" but the folder is "${folder.name}"`,
        });
      }
      if (contract.version !== version) {
        problems.push({ pointer: '/version', reason: `is "${contract.version}" but the file is "${f}"` });
      }
      if (problems.length > 0) {
        throw new ContractError(
          `${file}: contract does not match its path`,
          'invalid_contract',
          problems,
          file,
        );
      }
      out.push({ contract, file });
    }
  }
  out.sort(
    (a, b) =>
      a.contract.contract.localeCompare(b.contract.contract) ||
      semver.compare(a.contract.version, b.contract.version),
  );
  return out;
}
