import type { ErrorObject } from 'ajv';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import { readCalibrationMonitor } from '../../detectors/calibration/calibration-config.js';
import { readDistributionMonitor } from '../../detectors/distribution/distribution-config.js';
import { readEmbeddingMonitor } from '../../detectors/embedding/embedding-config.js';
import { safePointer, safeToken } from '../findings/safe-token.js';
import { checkShape } from '../pipeline/check-shape.js';
import { createAjv } from './ajv.js';
import type { Contract } from './contract.js';
import { ContractError, type ContractProblem } from './contract-error.js';
import { CONTRACT_FORMAT_SCHEMA } from './contract-format.js';

const validateFormat = createAjv().compile(CONTRACT_FORMAT_SCHEMA);

/**
 * How deep and large a contract document may be: far beyond any real schema
 * (a level of an event is two of its schema, `properties` and the name, so
 * 128 describes events deeper than the 32 levels events may have), far
 * below a stack overflow.
 */
const CONTRACT_SHAPE = {
  maxDepth: 128,
  maxStringLength: 1_000_000,
  maxNodes: 200_000,
  maxArrayLength: 100_000,
};

/** A format error as a problem; keys from the document that could be personal data appear as salted hashes. */
function problemOf(e: ErrorObject): ContractProblem {
  const pointer = safePointer(e.instancePath || '/');
  if (e.keyword === 'required')
    return { pointer, reason: `missing required key "${e.params.missingProperty}"` };
  if (e.keyword === 'additionalProperties')
    return { pointer, reason: `unknown key "${safeToken(String(e.params.additionalProperty))}"` };
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
  // Before anything walks it: a document nested thousands of levels deep would overflow the stack.
  const shape = checkShape(doc, CONTRACT_SHAPE);
  if (shape) {
    const reason = shape.replace('the event', 'the contract');
    throw new ContractError(
      `contract${source ? ` ${source}` : ''} is too large or too deep: ${reason}`,
      'invalid_contract',
      [{ pointer: '/', reason }],
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
  // The format's pattern lets through versions semver cannot order (1.2.0-01, 20 digits); the registry orders by semver.
  const version = (doc as { version: string }).version;
  if (semver.valid(version) === null) {
    throw new ContractError(
      `contract${source ? ` ${source}` : ''} breaks the contract format: /version is not a semantic version`,
      'invalid_contract',
      [{ pointer: '/version', reason: 'is not a semantic version (semver.org, at most 256 characters)' }],
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
    doc = parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
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
