import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Contract } from '../../monitor/registry/contract.js';
import { ContractError } from '../../monitor/registry/contract-error.js';
import { loadContractsDir } from '../../monitor/registry/load-contracts.js';
import { parseContractText, toContract } from '../../monitor/registry/parse-contract.js';
import { ContractRegistry } from '../../monitor/registry/registry.js';
import { BASE_TEXT, contractTextArb, SHIPPED_TEXT } from './contract-mutations.js';

const SEED = 20_260_303;
/** A document is parsed (and compiled) well within this, or the parser is stuck. */
const MAX_MS = 5_000;
const BASE = parseContractText(BASE_TEXT);

function checkContractError(err: unknown): void {
  expect(err).toBeInstanceOf(ContractError);
  const e = err as ContractError;
  expect(['invalid_contract', 'incompatible_contract', 'version_exists']).toContain(e.code);
  expect(e.problems.length).toBeGreaterThan(0);
  for (const p of e.problems) {
    expect(typeof p.pointer).toBe('string');
    // A JSON pointer: '' is the whole document.
    expect(p.pointer === '' || p.pointer.startsWith('/')).toBe(true);
    expect(typeof p.reason).toBe('string');
  }
}

/** Parses a text; answers the contract or null for a ContractError, failing on any other error or a stall. */
function parsed(text: string): Contract | null {
  const t0 = performance.now();
  try {
    const c = parseContractText(text, 'fuzz.yaml');
    expect(typeof c.contract).toBe('string');
    expect(typeof c.version).toBe('string');
    expect(typeof c.schema).toBe('object');
    return c;
  } catch (err) {
    checkContractError(err);
    return null;
  } finally {
    expect(performance.now() - t0).toBeLessThan(MAX_MS);
  }
}

/** Adds to a registry holding 1.0.0 of the same contract: succeeds or throws ContractError. */
function addAfterBase(contract: Contract, enforceCompatibility: boolean): void {
  const registry = new ContractRegistry();
  registry.add(BASE);
  try {
    registry.add(contract, { enforceCompatibility });
  } catch (err) {
    checkContractError(err);
  }
}

/** Documents YAML allows that JSON does not: aliases (looping ones too), tags, merge keys, YAML 1.1 types. */
const YAML_SPECIALS = [
  'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
  `${SHIPPED_TEXT}\nx-loop: &loop [*loop]\n`,
  SHIPPED_TEXT.replace('schema:\n', 'schema: &s\n').replace(
    '  properties:\n',
    '  properties:\n    self: *s\n',
  ),
  `%YAML 1.1\n---\n${SHIPPED_TEXT.replace('purposes: [analytics, model_training]', 'purposes: !!set { analytics, model_training }')}`,
  `%YAML 1.1\n---\n${SHIPPED_TEXT.replace('owner: conversation-analytics@example.com', 'owner: !!binary aGVsbG8=')}`,
  `%YAML 1.1\n---\n${SHIPPED_TEXT.replace('description: >', 'description: 2026-03-01\nx-description: >')}`,
  SHIPPED_TEXT.replace('status: active', 'status: !custom active'),
  SHIPPED_TEXT.replace(
    'owner: conversation-analytics@example.com',
    'owner: &o conversation-analytics@example.com\nx: *o',
  ),
  `base: &b {contract: conversation.message}\n<<: *b\n${SHIPPED_TEXT.split('\n').slice(1).join('\n')}`,
  `${SHIPPED_TEXT}\n---\n${SHIPPED_TEXT}`,
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'- '.repeat(2000)}x`,
  '{"contract": "a", "version": "1.0.0", "status": "active", "owner": "o", "schema": {"type": "object"}, "__proto__": {"x": 1}}',
  '',
  '~',
  '--- !!str',
  '\uFEFF',
];

/**
 * Versions the contract format's pattern accepts, semver's refusals among
 * them (a pre-release id with a leading zero such as 1.1.0-01, an empty id
 * such as 1.1.0-a..b, more than 256 characters, a number above 2^53): those
 * are refused with a ContractError, the rest added.
 */
const formatVersionArb = fc
  .tuple(
    fc.oneof(fc.nat({ max: 20 }), fc.constant(Number.MAX_SAFE_INTEGER)),
    fc.nat({ max: 20 }),
    fc.nat({ max: 20 }),
    fc.option(
      fc
        .array(
          fc
            .string({ unit: fc.constantFrom(...'0123456789Aaz-'.split('')), minLength: 1, maxLength: 12 })
            .map((id) => (/^\d+$/.test(id) ? id.replace(/^0+(?=\d)/, '') : id)),
          { minLength: 1, maxLength: 5 },
        )
        .map((ids) => ids.join('.')),
      { nil: undefined },
    ),
  )
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === undefined ? '' : `-${pre}`}`);

const tmp = mkdtempSync(join(tmpdir(), 'earshot-fuzz-contracts-'));
beforeAll(() => {
  // ajv warns of unknown formats on the console and the YAML library of unknown tags as process warnings.
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(tmp, { recursive: true, force: true });
});

describe('contract loader on arbitrary documents', () => {
  it('random text and JSON values parse or throw ContractError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.json(), fc.constantFrom(...YAML_SPECIALS)),
        (text) => {
          parsed(text);
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('random objects with the contract keys parse or throw ContractError', () => {
    const keys = [
      'contract',
      'version',
      'status',
      'owner',
      'schema',
      'compatibility',
      'attributes',
      'monitors',
    ];
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })),
          fc.jsonValue({ maxDepth: 3 }),
          {
            maxKeys: 9,
          },
        ),
        (doc) => {
          try {
            toContract(doc);
          } catch (err) {
            checkContractError(err);
          }
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('mutations of a shipped contract parse or throw ContractError, and add to a registry or throw ContractError', () => {
    fc.assert(
      fc.property(contractTextArb, fc.boolean(), (text, enforce) => {
        const contract = parsed(text);
        if (contract) addAfterBase(contract, enforce);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('YAML specials (aliases, loops, tags, 1.1 types, deep nesting) never escape as another error', () => {
    for (const text of YAML_SPECIALS) {
      const contract = parsed(text);
      if (contract && contract.contract === BASE.contract) addAfterBase(contract, true);
    }
  });

  it('the loader reads a folder holding a mutated contract or throws ContractError', async () => {
    await fc.assert(
      fc.asyncProperty(contractTextArb, async (text) => {
        const dir = mkdtempSync(join(tmp, 'run-'));
        mkdirSync(join(dir, 'conversation.message'));
        writeFileSync(join(dir, 'conversation.message', '1.0.0.yaml'), BASE_TEXT);
        writeFileSync(join(dir, 'conversation.message', '1.1.0.yaml'), text);
        try {
          const loaded = await loadContractsDir(dir);
          expect(loaded.map((l) => l.contract.version)).toEqual(['1.0.0', '1.1.0']);
        } catch (err) {
          checkContractError(err);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a version the contract format accepts is added to a registry or refused with ContractError', () => {
    fc.assert(
      fc.property(formatVersionArb, (version) => {
        const contract = parsed(SHIPPED_TEXT.replace('version: 1.1.0', `version: "${version}"`));
        if (semver.valid(version) === null) expect(contract).toBeNull();
        else addAfterBase(contract!, true);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
