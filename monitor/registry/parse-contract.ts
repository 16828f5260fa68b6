import type { ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { readCalibrationMonitor } from '../../detectors/calibration/calibration-config.js';
import { readDistributionMonitor } from '../../detectors/distribution/distribution-config.js';
import { readEmbeddingMonitor } from '../../detectors/embedding/embedding-config.js';
import { createAjv } from './ajv.js';
import type { Contract } from './contract.js';
import { ContractError, type ContractProblem } from './contract-error.js';
import { CONTRACT_FORMAT_SCHEMA } from './contract-format.js';

const validateFormat = createAjv().compile(CONTRACT_FORMAT_SCHEMA);

function problemOf(e: ErrorObject): ContractProblem {
  const pointer = e.instancePath || '/';
  if (e.keyword === 'required')
    return { pointer, reason: `missing required key "${e.params.missingProperty}"` };
  if (e.keyword === 'additionalProperties')
    return { pointer, reason: `unknown key "${e.params.additionalProperty}"` };
  if (e.keyword === 'enum')
    return { pointer, reason: `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}` };
  return { pointer, reason: e.message ?? e.keyword };
}

const MONITOR_READERS: ReadonlyArray<
  [string, (section: unknown) => { ok: true } | { ok: false; error: string }]
> = [
  ['distribution', readDistributionMonitor],
  ['calibration', readCalibrationMonitor],
  ['embedding_drift', readEmbeddingMonitor],
];

const DEFAULTS = { compatibility: 'backward', purposes: [], attributes: {} } as const;

/**
 * Checks a parsed contract document against the contract format and fills the
 * defaults. Throws ContractError naming each offending key.
 */
export function toContract(doc: unknown, source?: string): Contract {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ContractError(
      'contract must be a mapping',
      'invalid_contract',
      [{ pointer: '/', reason: 'must be an object' }],
      source,
    );
  }
  if (!validateFormat(doc)) {
    const problems = (validateFormat.errors ?? []).map(problemOf);
    throw new ContractError(
      `contract${source ? ` ${source}` : ''} breaks the contract format: ${problems.map((p) => `${p.pointer} ${p.reason}`).join('; ')}`,
      'invalid_contract',
      problems,
      source,
    );
  }
  // What the format's schema cannot say of a monitor section (a window made of whole sub-windows, k <= n, ...).
  const monitors = (doc as { monitors?: Record<string, unknown> }).monitors ?? {};
  for (const [key, read] of MONITOR_READERS) {
    if (monitors[key] === undefined) continue;
    const result = read(monitors[key]);
    if (!result.ok) {
      throw new ContractError(
        `contract${source ? ` ${source}` : ''} breaks the contract format: /monitors/${key} ${result.error}`,
        'invalid_contract',
        [{ pointer: `/monitors/${key}`, reason: result.error }],
        source,
      );
    }
  }
  return { ...DEFAULTS, ...(structuredClone(doc) as Contract) };
}

/** Parses a contract YAML (or JSON) text. */
export function parseContractText(text: string, source?: string): Contract {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new ContractError(
      `contract${source ? ` ${source}` : ''} is not valid YAML: ${(err as Error).message}`,
      'invalid_contract',
      [{ pointer: '/', reason: (err as Error).message }],
      source,
    );
  }
  return toContract(doc, source);
}
