import { describe, expect, it } from 'vitest';
import { ContractError } from './contract-error.js';
import { parseContractText, toContract } from './parse-contract.js';

const GOOD = `
contract: conversation.note
version: 1.0.0
status: active
owner: team@example.com
schema:
  type: object
  properties:
    text: { type: string }
attributes:
  /text: { pii: free_text, redact: mask }
`;

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ContractError);
    return (err as ContractError).problems;
  }
  throw new Error('expected a ContractError');
}

describe('parseContractText', () => {
  it('parses a contract and fills the defaults', () => {
    const c = parseContractText(GOOD);
    expect(c).toMatchObject({ contract: 'conversation.note', compatibility: 'backward', purposes: [] });
    expect(c.attributes['/text']).toEqual({ pii: 'free_text', redact: 'mask' });
  });

  it('refuses a contract that breaks the format with the path and reason', () => {
    expect(problems(() => parseContractText(GOOD.replace('version: 1.0.0', 'version: one')))).toEqual([
      { pointer: '/version', reason: expect.stringContaining('pattern') },
    ]);
    expect(
      problems(() => parseContractText(GOOD.replace('status: active', 'status: live')))[0],
    ).toMatchObject({
      pointer: '/status',
      reason: expect.stringContaining('draft, active, deprecated, retired'),
    });
    expect(problems(() => parseContractText(`${GOOD}colour: blue\n`))[0]).toEqual({
      pointer: '/',
      reason: 'unknown key "colour"',
    });
    expect(problems(() => parseContractText(GOOD.replace('owner: team@example.com\n', '')))[0]).toEqual({
      pointer: '/',
      reason: 'missing required key "owner"',
    });
    expect(problems(() => parseContractText(GOOD.replace('redact: mask', 'redact: blur')))[0]!.pointer).toBe(
      '/attributes/~1text/redact',
    );
  });

  it('refuses YAML that does not parse and documents that are not mappings', () => {
    expect(() => parseContractText('contract: [unclosed')).toThrow(/not valid YAML/);
    expect(() => toContract([1, 2])).toThrow(ContractError);
  });

  it('refuses a version semver cannot order, and a document nested too deep, with a ContractError', () => {
    for (const version of ['1.2.0-01', '1.1.0-a..b', '100000000000000000000.0.0']) {
      expect(problems(() => parseContractText(GOOD.replace('1.0.0', `"${version}"`)))).toEqual([
        { pointer: '/version', reason: expect.stringMatching(/not a semantic version/) },
      ]);
    }
    let deep: unknown = { type: 'string' };
    for (let i = 0; i < 5000; i++) deep = { type: 'object', properties: { a: deep } };
    const doc = { ...(toContract(parseContractText(GOOD)) as object), schema: deep };
    expect(problems(() => toContract(doc))).toEqual([
      { pointer: '/', reason: expect.stringMatching(/^the contract nests deeper than 128 levels$/) },
    ]);
  });

  it('names keys that could be personal data by their salted hash, in reasons and pointers alike', () => {
    const doc = parseContractText(GOOD) as unknown as Record<string, unknown>;
    const top = problems(() => toContract({ ...doc, 'jane.doe@example.com': true }));
    expect(top).toEqual([
      { pointer: '/', reason: expect.stringMatching(/^unknown key "hash:[0-9a-f]{16}"$/) },
    ]);
    const nested = problems(() =>
      toContract({ ...doc, attributes: { '/text': { 'jane.doe@example.com': 1 } } }),
    );
    expect(JSON.stringify(nested)).not.toContain('jane');
    expect(nested[0]!.pointer).toBe('/attributes/~1text');
  });
});
