import { describe, expect, it } from 'vitest';
import { makeFinding } from '../findings/finding.js';
import { Metrics, UNKNOWN_LABEL } from './metrics.js';

describe('Metrics', () => {
  it('names only declared contracts and versions in labels', () => {
    const m = new Metrics({ version: '1.2.3', collectProcess: false });
    m.declareContracts([{ contract: 'conversation.message', version: '1.0.0' }]);
    expect(m.contractLabels('conversation.message', '1.0.0')).toEqual({
      contract: 'conversation.message',
      version: '1.0.0',
    });
    expect(m.contractLabels('conversation.message', '9.9.9')).toEqual({
      contract: 'conversation.message',
      version: UNKNOWN_LABEL,
    });
    expect(m.contractLabels('jane@example.com', '1.0.0')).toEqual({
      contract: UNKNOWN_LABEL,
      version: UNKNOWN_LABEL,
    });
    expect(m.contractLabels(null, null)).toEqual({ contract: UNKNOWN_LABEL, version: UNKNOWN_LABEL });
  });

  it('starts every declared series at zero and reports build info', async () => {
    const m = new Metrics({ version: '1.2.3', collectProcess: false });
    m.declareContracts([
      { contract: 'a', version: '1.0.0' },
      { contract: 'a', version: '1.1.0' },
    ]);
    m.declareFindings('schema', [{ kind: 'missing_required', severity: 'error' }]);
    const text = await m.registry.metrics();
    for (const outcome of ['ok', 'warning', 'violation', 'rejected']) {
      expect(text).toContain(`earshot_events_total{contract="a",version="1.1.0",outcome="${outcome}"} 0`);
    }
    expect(text).toContain(
      'earshot_findings_total{detector="schema",kind="missing_required",severity="error"} 0',
    );
    expect(text).toMatch(/earshot_build_info\{version="1.2.3",node_version="v\d+/);
    expect(text).toContain('earshot_contract_versions 2');
  });

  it('counts the entities of PII leaks per contract, known entity names only', async () => {
    const m = new Metrics({ version: '1.2.3', collectProcess: false });
    m.declareContracts([{ contract: 'a', version: '1.0.0' }]);
    expect(await m.registry.metrics()).toContain(
      'earshot_pii_entities_total{contract="a",entity="CREDIT_CARD"} 0',
    );
    m.countPiiLeak(
      makeFinding({
        detector: 'pii',
        kind: 'pii_leak',
        contract: 'a',
        message: 'm',
        evidence: {
          entities: [{ entity: 'CREDIT_CARD' }, { entity: 'EMAIL_ADDRESS' }, { entity: 'jane@x.io' }],
        },
      }),
    );
    const text = await m.registry.metrics();
    expect(text).toContain('earshot_pii_entities_total{contract="a",entity="CREDIT_CARD"} 1');
    expect(text).toContain('earshot_pii_entities_total{contract="a",entity="EMAIL_ADDRESS"} 1');
    expect(text).not.toContain('jane@x.io');
  });

  it('reads the store gauges at scrape time', async () => {
    const m = new Metrics({ version: 'x', collectProcess: false });
    let depth = 3;
    m.probeStore(() => ({ queueDepth: depth, lagSeconds: 1.5, dropped: 0 }));
    expect(await m.registry.metrics()).toContain('earshot_store_queue_depth 3');
    depth = 7;
    const text = await m.registry.metrics();
    expect(text).toContain('earshot_store_queue_depth 7');
    expect(text).toContain('earshot_store_write_lag_seconds 1.5');
  });
});
