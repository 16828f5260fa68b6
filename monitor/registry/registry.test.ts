import { describe, expect, it } from 'vitest';
import { MESSAGE_V1, MESSAGE_V2, RETIRED, STARTED_OPEN } from '../pipeline/test-contracts.js';
import type { Contract } from './contract.js';
import { ContractError } from './contract-error.js';
import { ContractRegistry } from './registry.js';

function registry(...contracts: Contract[]): ContractRegistry {
  const r = new ContractRegistry();
  for (const c of contracts) r.add(c);
  return r;
}

describe('ContractRegistry', () => {
  it('uses the latest active version when the event names none', () => {
    const r = registry(MESSAGE_V1, MESSAGE_V2, { ...MESSAGE_V2, version: '2.0.0-draft', status: 'draft' });
    const res = r.resolve('test.message', null);
    expect(res.ok && res.resolved.contract.version).toBe('1.1.0');
  });

  it('accepts a deprecated version with a flag, refuses retired ones and unknowns', () => {
    const r = registry(MESSAGE_V1, MESSAGE_V2, RETIRED);
    expect(r.resolve('test.message', '1.0.0')).toMatchObject({ ok: true, deprecated: true });
    expect(r.resolve('test.retired', null)).toMatchObject({ ok: false, kind: 'retired_version' });
    expect(r.resolve('test.retired', '1.0.0')).toMatchObject({ ok: false, kind: 'retired_version' });
    expect(r.resolve('test.message', '3.0.0')).toMatchObject({ ok: false, kind: 'unknown_version' });
    expect(r.resolve('nope', null)).toMatchObject({ ok: false, kind: 'unknown_contract' });
  });

  it('falls back to the latest deprecated version when none is active', () => {
    const r = registry(MESSAGE_V1);
    expect(r.resolve('test.message', null)).toMatchObject({ ok: true, deprecated: true });
  });

  it('compiles each version once and keeps versions in semver order', () => {
    const r = registry(MESSAGE_V2, { ...MESSAGE_V2, version: '1.10.0' }, STARTED_OPEN);
    expect(r.versions('test.message').map((c) => c.version)).toEqual(['1.1.0', '1.10.0']);
    expect(r.names()).toEqual(['test.message', 'test.started']);
    const a = r.resolve('test.message', '1.10.0');
    const b = r.resolve('test.message', '1.10.0');
    expect(a.ok && b.ok && a.resolved.validate === b.resolved.validate).toBe(true);
  });

  it('refuses a schema that does not compile, and a changed body under an existing version', () => {
    const r = registry(MESSAGE_V1);
    expect(() =>
      r.add({ ...STARTED_OPEN, schema: { type: 'object', properties: { a: { type: 'nope' } } } }),
    ).toThrow(ContractError);
    expect(() => r.add({ ...MESSAGE_V1, owner: 'other@example.com' })).toThrow(/exists with other content/);
    // The same body again is a no-op.
    expect(() => r.add(MESSAGE_V1)).not.toThrow();
  });

  it('refuses a version that breaks its declared compatibility, with pointer reasons', () => {
    const r = registry(MESSAGE_V2);
    const breaking: Contract = {
      ...MESSAGE_V2,
      version: '1.2.0',
      schema: {
        ...MESSAGE_V2.schema,
        required: [...(MESSAGE_V2.schema.required as string[]), 'intent'],
      },
    };
    try {
      r.add(breaking);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ContractError);
      const e = err as ContractError;
      expect(e.code).toBe('incompatible_contract');
      expect(e.problems.some((p) => p.pointer.includes('intent'))).toBe(true);
    }
    expect(r.versions('test.message')).toHaveLength(1);
    // Declared `none` lets it through.
    expect(() => r.add({ ...breaking, compatibility: 'none' })).not.toThrow();
  });
});

describe('ContractRegistry lifecycle and history', () => {
  it('moves a version through its lifecycle without a new version', () => {
    const r = registry(MESSAGE_V1, MESSAGE_V2);
    r.add({ ...MESSAGE_V2, status: 'retired' });
    expect(r.get('test.message', '1.1.0')?.status).toBe('retired');
    expect(r.resolve('test.message', null)).toMatchObject({ ok: true, deprecated: true });
  });

  it('refuses a version below the latest, which would leave the later one unchecked', () => {
    const r = registry(MESSAGE_V2);
    expect(() => r.add({ ...MESSAGE_V1, status: 'active' })).toThrow(/below the latest version 1.1.0/);
  });

  it('loads versions that share a $id', () => {
    const withId = (c: Contract): Contract => ({
      ...c,
      schema: { ...c.schema, $id: 'https://example.com/message' },
    });
    const r = registry(withId(MESSAGE_V1), withId(MESSAGE_V2));
    expect(r.versions('test.message')).toHaveLength(2);
  });
});
