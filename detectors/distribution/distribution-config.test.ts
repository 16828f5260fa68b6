import { describe, expect, it } from 'vitest';
import { ContractError } from '../../monitor/registry/contract-error.js';
import { parseContractText } from '../../monitor/registry/parse-contract.js';
import { DISTRIBUTION_DEFAULTS, readDistributionMonitor } from './distribution-config.js';

const contract = (distribution: string) => `
contract: conversation.ended
version: 1.0.0
status: active
owner: team@example.com
schema: { type: object }
monitors:
  distribution: ${distribution}
`;

describe('monitors.distribution', () => {
  it('fills every default but the attributes', () => {
    const read = readDistributionMonitor({
      attributes: { '/resolution': 'categorical', '/handle_time_seconds': 'numeric' },
    });
    expect(read.ok && read.config).toMatchObject({
      attributes: [
        { pointer: '/resolution', type: 'categorical' },
        { pointer: '/handle_time_seconds', type: 'numeric', bins: DISTRIBUTION_DEFAULTS.bins, edges: null },
      ],
      reference: 'previous_window',
      windowMs: 3_600_000,
      subWindowMs: 60_000,
      alpha: 0.05,
      consecutive: { k: 2, n: 3 },
      thresholds: { jensenShannon: 0.1, wasserstein: 0.1, psi: 0.2 },
    });
  });

  it('takes a baseline period and edges given in the contract', () => {
    const read = readDistributionMonitor({
      attributes: { '/wait_seconds': { type: 'numeric', edges: [10, 30, 60] } },
      reference: 'baseline',
      baseline: { from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' },
    });
    expect(read.ok && read.config.attributes[0]).toMatchObject({ bins: 4, edges: [10, 30, 60] });
    expect(read.ok && read.config.baseline).toEqual({
      fromMs: Date.parse('2026-01-01T00:00:00Z'),
      toMs: Date.parse('2026-01-08T00:00:00Z'),
    });
  });

  it('is checked when the contract loads, naming the key', () => {
    const refused = (section: string) => {
      try {
        parseContractText(contract(section), 'test.yaml');
      } catch (err) {
        expect(err).toBeInstanceOf(ContractError);
        return (err as ContractError).message;
      }
      throw new Error('the contract was accepted');
    };
    expect(refused('{ attributes: { /resolution: ordinal } }')).toMatch(
      /\/monitors\/distribution\/attributes/,
    );
    expect(refused('{ attributes: { /a: numeric }, window_minutes: 60, sub_window_minutes: 7 }')).toMatch(
      /whole number/,
    );
    expect(refused('{ attributes: { /a: numeric }, consecutive: { k: 3, n: 2 } }')).toMatch(/consecutive\.k/);
    expect(refused('{ attributes: { /a: { type: numeric, edges: [3, 1] } } }')).toMatch(/ascending/);
    expect(
      refused(
        '{ attributes: { /a: numeric }, baseline: { from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" }, reference: baseline }',
      ),
    ).toMatch(/baseline\.to/);
    expect(() => parseContractText(contract('{ attributes: { /a: categorical } }'))).not.toThrow();
    // A misspelt section is refused rather than loaded to monitor nothing.
    expect(() =>
      parseContractText(
        contract('{ attributes: { /a: categorical } }').replace('distribution:', 'distributions:'),
      ),
    ).toThrow(/\/monitors/);
  });
});
