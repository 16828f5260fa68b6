import { describe, expect, it } from 'vitest';
import { loadContractsDir } from '../registry/load-contracts.js';
import { ContractRegistry } from '../registry/registry.js';
import { EVENT_TYPES } from './catalog.js';

const ENVELOPE = ['event_id', 'event_type', 'schema_version', 'occurred_at', 'user_id', 'channel'];
const PURPOSES = new Set([
  'analytics',
  'model_training',
  'personalization',
  'advertising',
  'quality_assurance',
  'recording',
]);

describe('shipped contracts', () => {
  it('load from contracts/ and add in version order, each compatible with the earlier ones', async () => {
    const loaded = await loadContractsDir('contracts');
    const registry = new ContractRegistry();
    for (const { contract, file } of loaded) {
      const report = registry.add(contract);
      expect(report.compatible, `${file}: ${JSON.stringify(report.violations)}`).toBe(true);
      // The version number says what the schema change is: no change bigger or smaller than its bump.
      if (report.actualBump !== 'initial') expect(report.suggestedBump, file).toBe(report.actualBump);
    }
    expect(registry.names()).toEqual([...EVENT_TYPES].sort());
  });

  it('evolve over two versions: the older deprecated, the newer active, both backward compatible', async () => {
    const loaded = await loadContractsDir('contracts');
    for (const type of EVENT_TYPES) {
      const versions = loaded.filter((l) => l.contract.contract === type).map((l) => l.contract);
      expect(versions.map((c) => `${c.version} ${c.status} ${c.compatibility}`)).toEqual([
        '1.0.0 deprecated backward',
        '1.1.0 active backward',
      ]);
    }
  });

  it('describe the whole event: envelope, closed content except conversation.started, known purposes', async () => {
    for (const { contract } of await loadContractsDir('contracts')) {
      const schema = contract.schema as {
        properties: Record<string, { const?: string }>;
        additionalProperties?: boolean;
      };
      for (const key of ENVELOPE)
        expect(schema.properties, `${contract.contract} ${key}`).toHaveProperty(key);
      expect(schema.properties.event_type?.const).toBe(contract.contract);
      expect(schema.additionalProperties === false).toBe(contract.contract !== 'conversation.started');
      for (const p of contract.purposes) expect(PURPOSES.has(p)).toBe(true);
      expect(contract.owner).toMatch(/@example\.com$/);
    }
  });

  it('govern message text as free text that needs recording consent', async () => {
    const registry = new ContractRegistry();
    for (const { contract } of await loadContractsDir('contracts')) registry.add(contract);
    const message = registry.get('conversation.message', '1.1.0')!;
    expect(message.attributes['/text']).toEqual({
      pii: 'free_text',
      redact: 'mask',
      requires_consent: ['recording'],
    });
    expect(message.quality?.completeness).toEqual({ '/sentiment': 0.95, '/intent': 0.9 });
  });
});
