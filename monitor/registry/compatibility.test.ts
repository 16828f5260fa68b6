import { describe, expect, it } from 'vitest';
import { checkCompatibility, type SchemaChange, suggestBump, versionBump } from './compatibility.js';
import type { CompatibilityMode, Contract, ContractStatus, JsonSchema } from './contract.js';
import { ContractRegistry } from './registry.js';

function contract(
  version: string,
  schema: JsonSchema,
  compatibility: CompatibilityMode = 'backward',
  status: ContractStatus = 'active',
): Contract {
  return {
    contract: 'conversation.message',
    version,
    status,
    owner: 'conversation-analytics@example.com',
    compatibility,
    purposes: ['analytics'],
    schema,
    attributes: {},
  };
}

const closed = (properties: Record<string, unknown>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const base = closed({ event_id: { type: 'string' }, text: { type: 'string' } }, ['event_id']);
const withIntent = closed(
  { event_id: { type: 'string' }, text: { type: 'string' }, intent: { type: 'string' } },
  ['event_id'],
);
const intentRequired = closed(
  { event_id: { type: 'string' }, text: { type: 'string' }, intent: { type: 'string' } },
  ['event_id', 'intent'],
);
const withoutText = closed({ event_id: { type: 'string' } }, ['event_id']);

describe('checkCompatibility per mode', () => {
  it.each([
    // mode, candidate schema, compatible
    ['backward', withIntent, true],
    ['backward', withoutText, false],
    ['forward', withIntent, false],
    ['forward', withoutText, true],
    ['full', withIntent, false],
    ['full', withoutText, false],
    ['full', { ...base, description: 'one message' }, true],
    ['none', intentRequired, true],
  ] as const)('%s: candidate compatible = %s', (mode, schema, compatible) => {
    const report = checkCompatibility([contract('1.0.0', base)], contract('1.1.0', schema, mode));
    expect(report.mode).toBe(mode);
    expect(report.compatible).toBe(compatible);
    expect(report.violations.length === 0).toBe(compatible);
  });

  it('names the version, the attribute and the broken direction in each violation', () => {
    const report = checkCompatibility([contract('1.0.0', base)], contract('2.0.0', intentRequired, 'full'));
    expect(report.violations).toEqual([
      {
        version: '1.0.0',
        pointer: '/intent',
        reason: expect.stringMatching(/^property "intent" added; .*: breaks forward compatibility/),
      },
      {
        version: '1.0.0',
        pointer: '/intent',
        reason: expect.stringMatching(/^attribute "intent" became required: breaks backward compatibility/),
      },
    ]);
  });

  it('reports one entry per version compared with its changes and directions', () => {
    const report = checkCompatibility([contract('1.0.0', base)], contract('1.1.0', withIntent));
    expect(report.against).toEqual([
      {
        version: '1.0.0',
        backward: true,
        forward: false,
        changes: [expect.objectContaining({ pointer: '/intent', change: 'property_added' })],
      },
    ]);
    expect(report.previous).toBe('1.0.0');
  });

  it('mode none never violates but still shows the changes against the previous version', () => {
    const report = checkCompatibility(
      [contract('1.0.0', base), contract('1.1.0', withIntent)],
      contract('2.0.0', withoutText, 'none'),
    );
    expect(report.violations).toEqual([]);
    expect(report.against.map((a) => a.version)).toEqual(['1.1.0']);
    expect(report.against[0]?.backward).toBe(false);
  });

  it('has nothing to check for the first version', () => {
    const report = checkCompatibility([], contract('1.0.0', base, 'full_transitive'));
    expect(report).toMatchObject({
      compatible: true,
      against: [],
      actualBump: 'initial',
      suggestedBump: 'patch',
    });
    expect(report.previous).toBeUndefined();
  });

  it('counts draft and retired earlier versions', () => {
    for (const status of ['draft', 'retired'] as const) {
      const report = checkCompatibility(
        [contract('1.0.0', base, 'backward', status)],
        contract('1.1.0', withoutText),
      );
      expect(report.compatible).toBe(false);
    }
  });

  it('takes the highest earlier version as the previous one, whatever the order given', () => {
    const report = checkCompatibility(
      [contract('1.1.0', withIntent), contract('1.0.0', base)],
      contract('1.2.0', withIntent),
    );
    expect(report.previous).toBe('1.1.0');
    expect(report.against.map((a) => a.version)).toEqual(['1.1.0']);
    expect(report.compatible).toBe(true);
  });
});

describe('transitive modes', () => {
  // 1.1.0 was published with compatibility none, so 1.2.0 can agree with it and not with 1.0.0.
  const chain = (v1: JsonSchema, v2: JsonSchema, v3: JsonSchema, mode: CompatibilityMode) => {
    const earlier = [contract('1.0.0', v1), contract('1.1.0', v2, 'none')];
    return {
      plain: checkCompatibility(earlier, contract('1.2.0', v3, mode)),
      transitive: checkCompatibility(
        earlier,
        contract('1.2.0', v3, `${mode}_transitive` as CompatibilityMode),
      ),
    };
  };
  const one = (schema: unknown) => closed({ n: schema });

  it.each([
    ['backward', one({ type: 'integer' }), one({ type: 'string' }), one({ type: ['string', 'null'] })],
    ['forward', one({ type: 'integer' }), one({ type: ['string', 'integer'] }), one({ type: 'string' })],
    [
      'full',
      one({ enum: ['a', 'b'] }),
      one({ enum: ['a', 'b', 'c'] }),
      one({ enum: ['a', 'b', 'c'], title: 'n' }),
    ],
  ] as const)('%s: 1.2.0 agrees with 1.1.0, the transitive form also checks 1.0.0', (mode, v1, v2, v3) => {
    const { plain, transitive } = chain(v1, v2, v3, mode);
    expect(plain.compatible).toBe(true);
    expect(plain.against.map((a) => a.version)).toEqual(['1.1.0']);
    expect(transitive.compatible).toBe(false);
    expect(transitive.against.map((a) => a.version)).toEqual(['1.0.0', '1.1.0']);
    expect(new Set(transitive.violations.map((v) => v.version))).toEqual(new Set(['1.0.0']));
    expect(transitive.violations.every((v) => v.pointer === '/n')).toBe(true);
  });
});

describe('bumps', () => {
  const change = (backward: boolean, forward: boolean): SchemaChange => ({
    pointer: '/x',
    change: 'test',
    detail: 'test',
    backward,
    forward,
  });

  it.each([
    [[], 'patch'],
    [[change(true, true)], 'patch'],
    [[change(true, false)], 'minor'],
    [[change(true, true), change(false, true)], 'major'],
    [[change(true, false), change(false, false)], 'major'],
  ] as const)('suggestBump(%j) = %s', (changes, bump) => {
    expect(suggestBump(changes)).toBe(bump);
  });

  it.each([
    [undefined, '1.0.0', 'initial'],
    ['1.0.0', '2.0.0', 'major'],
    ['1.0.0', '1.1.0', 'minor'],
    ['1.0.0', '1.0.1', 'patch'],
    ['1.0.0', '2.0.0-rc.1', 'major'],
    ['1.0.0', '1.0.0', 'none'],
  ] as const)('versionBump(%s, %s) = %s', (previous, current, bump) => {
    expect(versionBump(previous, current)).toBe(bump);
  });

  it.each([
    [withoutText, '2.0.0', 'major', 'major'],
    [withoutText, '1.1.0', 'major', 'minor'],
    [withIntent, '1.1.0', 'minor', 'minor'],
    [{ ...base, description: 'a message' }, '1.0.1', 'patch', 'patch'],
    [base, '1.0.1', 'patch', 'patch'],
  ] as const)(
    'against the previous version: suggested and actual bumps',
    (schema, version, suggested, actual) => {
      const report = checkCompatibility([contract('1.0.0', base)], contract(version, schema, 'none'));
      expect(report.suggestedBump).toBe(suggested);
      expect(report.actualBump).toBe(actual);
    },
  );

  it('a too small version number is not a violation', () => {
    const report = checkCompatibility([contract('1.0.0', base)], contract('1.0.1', withIntent, 'backward'));
    expect(report).toMatchObject({ compatible: true, suggestedBump: 'minor', actualBump: 'patch' });
  });
});

describe('the registry refuses what breaks declared compatibility', () => {
  it('rejects a backward-breaking version and accepts a compatible one', () => {
    const registry = new ContractRegistry();
    registry.add(contract('1.0.0', base));
    expect(() => registry.add(contract('1.1.0', withoutText))).toThrow(/breaks its declared backward/);
    expect(registry.add(contract('1.1.0', withIntent)).compatible).toBe(true);
  });
});
