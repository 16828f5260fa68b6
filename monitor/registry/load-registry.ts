import type { Logger } from '../logger.js';
import { loadContractsDir } from './load-contracts.js';
import { ContractRegistry } from './registry.js';

/**
 * A registry holding every contract file of a folder. Files are loaded even
 * when a version breaks its declared compatibility, so a bad edit cannot stop
 * the service; each such version is logged, and `earshot contracts check` is
 * where it fails.
 */
export async function loadRegistry(dir: string, logger?: Pick<Logger, 'warn'>): Promise<ContractRegistry> {
  const registry = new ContractRegistry();
  for (const { contract, file } of await loadContractsDir(dir)) {
    const report = registry.add(contract, { enforceCompatibility: false });
    if (!report.compatible) {
      logger?.warn({ file, violations: report.violations }, 'contract breaks its declared compatibility');
    }
  }
  return registry;
}
