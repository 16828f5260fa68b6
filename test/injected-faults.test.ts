import { describe, expect, it } from 'vitest';
import { buildDetectors } from '../detectors/build-detectors.js';
import { buildConfig } from '../monitor/config/config.js';
import type { Finding } from '../monitor/findings/finding.js';
import { FAULT_KINDS, type FaultKind, TrafficGenerator } from '../monitor/generator/generator.js';
import { parseLine } from '../monitor/pipeline/parse-body.js';
import { Pipeline } from '../monitor/pipeline/pipeline.js';
import { loadRegistry } from '../monitor/registry/load-registry.js';

// Every fault the generator injects must be caught.
const CHECKED = FAULT_KINDS;
const START = new Date('2026-11-01T09:00:00Z');

async function run(faults: Partial<Record<FaultKind, number>>, count: number) {
  const config = buildConfig({});
  const registry = await loadRegistry(config.contracts.dir);
  const windowed: Finding[] = [];
  const pipeline = new Pipeline({ registry, detectors: buildDetectors(config).all });
  const generated = new TrafficGenerator({ seed: 7, faults, start: START, eventsPerSecond: 20 }).batch(count);
  const results = [];
  for (let i = 0; i < generated.length; i += 100) {
    const chunk = generated.slice(i, i + 100);
    results.push(...pipeline.processBatch(chunk.map((g) => parseLine(g.raw))).results);
  }
  windowed.push(...pipeline.evaluate(pipeline.latestEventTime()!));
  return { generated, results, windowed };
}

describe('every fault the generator injects is reported with its kind', () => {
  it.each(CHECKED)('%s', async (fault) => {
    const { generated, results, windowed } = await run({ [fault]: 0.2 }, 1500);
    const faulty = generated.map((g, i) => ({ g, r: results[i]! })).filter(({ g }) => g.fault === fault);
    expect(faulty.length).toBeGreaterThan(50);
    if (fault === 'null_attribute') {
      // Windowed: the share of non-null values drops under the contract's minimum.
      expect(windowed.some((f) => f.kind === 'completeness_drop')).toBe(true);
      return;
    }
    for (const { g, r } of faulty) {
      const kinds = r.findings.map((f) => f.kind);
      if (fault === 'unknown_attribute' && g.contract === 'conversation.started') {
        // Open content model: drift, reported per window by schema_drift.
        expect(kinds).not.toContain('unknown_attribute');
        continue;
      }
      expect(kinds, `${g.contract} ${g.attribute}`).toContain(g.expectedKind);
      if (g.attribute && g.expectedKind !== 'malformed') {
        expect(r.findings.find((f) => f.kind === g.expectedKind)!.attribute).toBe(g.attribute);
      }
    }
    if (fault === 'unknown_attribute' && faulty.some(({ g }) => g.contract === 'conversation.started')) {
      expect(
        windowed.some(
          (f) =>
            f.detector === 'schema_drift' &&
            f.kind === 'unknown_attribute' &&
            f.contract === 'conversation.started',
        ),
      ).toBe(true);
    }
  });

  it('clean traffic raises no finding at all', async () => {
    const { results, windowed } = await run({}, 3000);
    expect(results.flatMap((r) => r.findings)).toEqual([]);
    expect(windowed).toEqual([]);
  });
});
