import { beforeEach, describe, expect, it } from 'vitest';
import { buildDetectors } from '../../detectors/build-detectors.js';
import { buildConfig } from '../config/config.js';
import type { Finding } from '../findings/finding.js';
import { Metrics } from '../metrics/metrics.js';
import { ContractRegistry } from '../registry/registry.js';
import type { BatchItem } from './parse-body.js';
import { Pipeline } from './pipeline.js';
import { MESSAGE_V1, MESSAGE_V2, message, RETIRED, STARTED_OPEN } from './test-contracts.js';

function items(...values: unknown[]): BatchItem[] {
  return values.map((value) => ({ ok: true, value }));
}

function kinds(findings: Finding[]): string[] {
  return findings.map((f) => `${f.kind}:${f.attribute ?? ''}`).sort();
}

describe('Pipeline', () => {
  let pipeline: Pipeline;
  let metrics: Metrics;
  let sunk: Finding[];

  beforeEach(() => {
    const registry = new ContractRegistry();
    for (const c of [MESSAGE_V1, MESSAGE_V2, STARTED_OPEN, RETIRED]) registry.add(c);
    metrics = new Metrics({ version: 'test', collectProcess: false });
    sunk = [];
    // Consent has tests of its own; these events come without consent records.
    const config = buildConfig({
      limits: { maxDepth: 8, maxStringLength: 5000, maxNodes: 500, maxArrayLength: 100 },
      detectors: { consent: { enabled: false } },
    });
    pipeline = new Pipeline({
      registry,
      detectors: buildDetectors(config).all,
      metrics,
      sinks: [{ push: (f) => sunk.push(f) }],
      limits: config.limits,
    });
  });

  it('passes a valid event with no findings against the latest active version', () => {
    const r = pipeline.processBatch(items(message()));
    expect(r).toMatchObject({ accepted: 1, rejected: 0 });
    expect(r.results[0]).toMatchObject({ status: 'ok', findings: [] });
  });

  it('reports one finding per problem with its JSON pointer, never the value', () => {
    const bad = message({
      speaker: 'robot',
      sentiment: 'happy',
      text: undefined,
      extra: 1,
      contact: { email: 'x' },
    });
    delete bad.text;
    const r = pipeline.processBatch(items(bad));
    const found = r.results[0]!.findings;
    expect(kinds(found)).toEqual([
      'enum_violation:/speaker',
      'format_violation:/contact/email',
      'missing_required:/text',
      'type_mismatch:/sentiment',
      'unknown_attribute:/extra',
    ]);
    expect(r.results[0]!.status).toBe('violation');
    expect(found.every((f) => f.contract === 'test.message' && f.version === '1.1.0')).toBe(true);
    expect(JSON.stringify(found)).not.toContain('robot');
    expect(JSON.stringify(found)).not.toContain('happy');
    expect(found.find((f) => f.kind === 'type_mismatch')!.message).toBe(
      'attribute /sentiment must be number or null but is string',
    );
  });

  it('reports bounds as constraint violations', () => {
    const r = pipeline.processBatch(items(message({ sentiment: 3 })));
    expect(kinds(r.results[0]!.findings)).toEqual(['constraint_violation:/sentiment']);
  });

  it('resolves versions: named, deprecated, unknown, retired, unknown contract', () => {
    const r = pipeline.processBatch(
      items(
        message({ schema_version: '1.0.0' }),
        message({ schema_version: '7.0.0' }),
        { event_id: 'e', event_type: 'test.retired' },
        { event_id: 'f', event_type: 'no.such.thing' },
      ),
    );
    expect(r.results.map((x) => x.findings.map((f) => f.kind))).toEqual([
      ['deprecated_version'],
      ['unknown_version'],
      ['retired_version'],
      ['unknown_contract'],
    ]);
    expect(r.results.map((x) => x.status)).toEqual(['warning', 'violation', 'rejected', 'violation']);
  });

  it('turns unreadable input into malformed findings and goes on with the batch', () => {
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 50; i++) {
      const next: Record<string, unknown> = {};
      cur.a = next;
      cur = next;
    }
    const r = pipeline.processBatch([
      { ok: false, reason: 'line 1 is not valid JSON', line: 1 },
      ...items(
        42,
        null,
        [1],
        { event_id: 'x' },
        { ...message(), deep },
        message({ text: 'x'.repeat(6000) }),
        message({ tags: Array.from({ length: 101 }, () => 0) }),
        message(),
      ),
    ]);
    expect(r.results.map((x) => x.findings[0]?.kind ?? 'ok')).toEqual([
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'ok',
    ]);
    expect(r).toMatchObject({ accepted: 1, rejected: 8 });
    expect(r.results[4]!.findings[0]!.attribute).toBe('/event_type');
    expect(r.results[5]!.findings[0]!.message).toMatch(/deeper than 8/);
    expect(r.results[6]!.findings[0]!.message).toMatch(/6000 characters/);
    expect(r.results[7]!.findings[0]!.message).toBe('an array has 101 elements; the limit is 100');
  });

  it('rejects violators in enforce mode and redacts governed attributes in redact mode', () => {
    const enforce = pipeline.processBatch(items(message(), message({ speaker: 'x' })), { mode: 'enforce' });
    expect(enforce.results.map((x) => x.status)).toEqual(['ok', 'rejected']);
    expect(enforce).toMatchObject({ accepted: 1, rejected: 1 });

    const event = message({ text: 'call me at jane@example.com' });
    const redact = pipeline.processBatch(items(event, 7), { mode: 'redact' });
    const copy = redact.redacted![0]!;
    expect(copy.text).toBe('call me at ****@*******.***');
    expect(copy.user_id).toMatch(/^hash:/);
    expect(copy.speaker).toBe('customer');
    expect(event.text).toBe('call me at jane@example.com');
    expect(redact.redacted![1]).toBeNull();
  });

  it('counts events and findings under configured labels only', async () => {
    pipeline.processBatch(items(message(), message({ speaker: 'x' }), { event_type: 'secret@example.com' }));
    const text = await metrics.registry.metrics();
    expect(text).toContain('earshot_events_total{contract="test.message",version="1.1.0",outcome="ok"} 1');
    expect(text).toContain(
      'earshot_events_total{contract="test.message",version="1.1.0",outcome="violation"} 1',
    );
    expect(text).toContain(
      'earshot_events_total{contract="__unknown__",version="__unknown__",outcome="violation"} 1',
    );
    expect(text).toContain(
      'earshot_findings_total{detector="schema",kind="enum_violation",severity="error"} 1',
    );
    // Every known series starts at zero.
    expect(text).toContain(
      'earshot_events_total{contract="test.started",version="1.0.0",outcome="rejected"} 0',
    );
    expect(text).toContain(
      'earshot_findings_total{detector="completeness",kind="completeness_drop",severity="warning"} 0',
    );
    expect(text).not.toContain('secret@example.com');
    expect(sunk.length).toBe(2);
  });

  it('reports schema drift per window with counts and sample event ids', () => {
    const r = pipeline.processBatch(
      items(
        { event_id: 'a', event_type: 'test.started', browser: 'firefox' },
        { event_id: 'b', event_type: 'test.started', browser: 'chrome', channel: 'fax' },
        { event_id: 'c', event_type: 'test.started', browser: 'safari', 'jane@example.com': 1 },
      ),
    );
    // Open model: an extra attribute is drift, not a per-event violation.
    expect(r.results[0]!.status).toBe('ok');
    const drift = pipeline
      .evaluate(new Date('2026-11-01T10:00:00Z'))
      .filter((f) => f.detector === 'schema_drift');
    const byAttr = Object.fromEntries(drift.map((f) => [`${f.kind}:${f.attribute}`, f]));
    expect(byAttr['unknown_attribute:/browser']).toMatchObject({
      count: 3,
      severity: 'warning',
      evidence: { sample_event_ids: ['a', 'b', 'c'], observed: { string: 3 } },
    });
    expect(byAttr['enum_violation:/channel']!.evidence.observed).toEqual({ fax: 1 });
    const hashed = drift.find((f) => f.attribute?.startsWith('/hash:'));
    expect(hashed).toBeDefined();
    expect(JSON.stringify(drift)).not.toContain('jane@example.com');
    // The window was drained: nothing new, nothing reported.
    expect(
      pipeline.evaluate(new Date('2026-11-01T10:00:10Z')).filter((f) => f.detector === 'schema_drift'),
    ).toEqual([]);
  });

  it('fires completeness_drop when an attribute goes missing over the window, once per window', () => {
    const at = (s: number) => new Date(Date.parse('2026-11-01T10:00:00Z') + s * 1000).toISOString();
    const batch = Array.from({ length: 100 }, (_, i) =>
      message({ occurred_at: at(i), sentiment: i % 4 === 0 ? null : 0.1 }),
    );
    pipeline.processBatch(items(...batch));
    const now = new Date(Date.parse('2026-11-01T10:00:00Z') + 100_000);
    const found = pipeline.evaluate(now).filter((f) => f.kind === 'completeness_drop');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      attribute: '/sentiment',
      contract: 'test.message',
      evidence: { observed_share: 0.75, minimum: 0.9, events: 100, missing: 25 },
    });
    expect(
      pipeline.evaluate(new Date(now.getTime() + 10_000)).filter((f) => f.kind === 'completeness_drop'),
    ).toEqual([]);
  });

  it('stays quiet on completeness with too few events or a healthy share', () => {
    pipeline.processBatch(items(message({ sentiment: null }), message()));
    expect(
      pipeline.evaluate(new Date('2026-11-01T10:01:00Z')).filter((f) => f.kind === 'completeness_drop'),
    ).toEqual([]);
  });
});

describe('Pipeline against hostile events', () => {
  it('reports a bad array once, caps problems per event and never echoes keys or times from traffic', () => {
    const registry = new ContractRegistry();
    registry.add({
      ...STARTED_OPEN,
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          event_id: { type: 'string' },
          event_type: { const: 'test.started' },
          occurred_at: { type: 'string' },
          embedding: { type: 'array', items: { type: 'number' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`n${i}`, { type: 'number' }])),
        },
      },
    });
    const config = buildConfig({ detectors: { consent: { enabled: false } } });
    const pipeline = new Pipeline({ registry, detectors: buildDetectors(config).all });
    const event: Record<string, unknown> = {
      event_id: 'e1',
      event_type: 'test.started',
      occurred_at: 'call Jane on +1 555 123 4567',
      embedding: Array(4096).fill(''),
      labels: { 'jane.doe@example.com': 5 },
    };
    const one = pipeline.processBatch(items(event)).results[0]!.findings;
    expect(one.filter((f) => f.attribute === '/embedding/items')).toHaveLength(1);
    expect(one.find((f) => f.attribute?.startsWith('/labels/hash:'))).toBeDefined();
    const text = JSON.stringify(one);
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('555 123');
    expect(one.every((f) => f.occurred_at === null)).toBe(true);

    for (let i = 0; i < 30; i++) event[`n${i}`] = 'x';
    // The cap is on schema problems; the phone in occurred_at is the PII detector's own finding.
    const capped = pipeline
      .processBatch(items(event))
      .results[0]!.findings.filter((f) => f.detector === 'schema');
    expect(capped).toHaveLength(20);
    expect(capped[19]!.evidence.more_problems).toBeGreaterThan(0);
  });

  it('keeps the clock of historical checks on resolved events not far in the future', () => {
    const registry = new ContractRegistry();
    registry.add(STARTED_OPEN);
    const now = new Date('2026-11-01T10:00:00Z');
    const pipeline = new Pipeline({ registry, detectors: [], clock: () => now });
    pipeline.processBatch(
      items(
        { event_id: 'a', event_type: 'test.started', occurred_at: '2026-11-01T09:00:00Z' },
        { event_id: 'b', event_type: 'no.such', occurred_at: '2099-01-01T00:00:00Z' },
      ),
    );
    expect(pipeline.latestEventTime()?.toISOString()).toBe('2026-11-01T09:00:00.000Z');
    pipeline.processBatch(
      items({ event_id: 'c', event_type: 'test.started', occurred_at: '2099-01-01T00:00:00Z' }),
    );
    expect(pipeline.latestEventTime()?.toISOString()).toBe('2026-11-01T10:01:00.000Z');
  });

  it('counts an unknown version of a known contract under that contract', async () => {
    const registry = new ContractRegistry();
    registry.add(STARTED_OPEN);
    const metrics = new Metrics({ version: 't', collectProcess: false });
    const pipeline = new Pipeline({ registry, detectors: [], metrics });
    pipeline.processBatch(items({ event_id: 'a', event_type: 'test.started', schema_version: '8.0.0' }));
    expect(await metrics.registry.metrics()).toContain(
      'earshot_events_total{contract="test.started",version="__unknown__",outcome="violation"} 1',
    );
  });
});
