import type { InspectContext } from '../../detectors/detector.js';
import type { ExperimentSection } from '../../detectors/holdout/experiment-config.js';
import { HoldoutDetector } from '../../detectors/holdout/holdout-detector.js';
import { parseExperiment } from '../../detectors/holdout/parse-experiment.js';
import { seededRandom } from '../../detectors/stats/seeded-random.js';
import { readEnvelope } from '../../monitor/pipeline/envelope.js';
import type { ResolvedContract } from '../../monitor/registry/registry.js';

const SECTION: ExperimentSection = {
  id: 'bench-holdout',
  arms: { treatment: 0.95, holdout: 0.05 },
  metrics: [
    { name: 'converted', type: 'binary', event_type: 'conversion' },
    { name: 'revenue', type: 'continuous', event_type: 'conversion', value: '/value' },
  ],
};

const T0 = Date.parse('2026-11-01T00:00:00Z');

function contractOf(name: string): ResolvedContract {
  return { contract: { contract: name, version: '1.1.0' } } as unknown as ResolvedContract;
}
const EXPOSURE = contractOf('experiment.exposure');
const CONVERSION = contractOf('conversion');

interface Prepared {
  event: Record<string, unknown>;
  ctx: InspectContext;
}

function exposure(user: number, arm: string, at: number, now: Date): Prepared {
  const event = {
    event_id: `e-x-${user}-${at}`,
    event_type: 'experiment.exposure',
    occurred_at: new Date(at).toISOString(),
    user_id: `user-${user}`,
    experiment_id: SECTION.id,
    arm,
  };
  return { event, ctx: context(event, EXPOSURE, now) };
}

function conversion(user: number, id: number, at: number, now: Date): Prepared {
  const event = {
    event_id: `e-c-${id}`,
    event_type: 'conversion',
    occurred_at: new Date(at).toISOString(),
    user_id: `user-${user}`,
    value: 10 + (id % 90),
  };
  return { event, ctx: context(event, CONVERSION, now) };
}

function context(event: Record<string, unknown>, contract: ResolvedContract, now: Date): InspectContext {
  return { envelope: readEnvelope(event), contract, validationErrors: null, mode: 'observe', now };
}

const armOf = (user: number) => (user % 20 === 0 ? 'holdout' : 'treatment');

export interface UnitCostRow {
  units: number;
  nsPerEvent: number;
  bytesPerUnit: number;
  heapBytesPerUnit: number;
  evaluateMs: number;
}

/**
 * Builds an experiment of `units` units (every unit exposed once, one in
 * ten with a conversion), then times a fixed mix of events on random
 * existing units: repeated exposures and conversions, half each. A unit's
 * timed conversion has one event id, so after its first it arrives as a
 * duplicate: each unit ends with at most three outcome entries whatever
 * the number of events timed, and the rows compare like with like.
 * Events and their envelopes are built before the clock starts, so the
 * figure is the detector's own cost per event.
 */
export function measureUnitCost(units: number, timedEvents: number, seed = 7): UnitCostRow {
  const parsed = parseExperiment(SECTION);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const now = new Date(T0 + 10 * 86_400_000);
  const detector = new HoldoutDetector();
  const before = process.memoryUsage();
  detector.define(parsed.config, parsed.section, 'config');
  let conversions = 0;
  // Filled in chunks so the prepared events of a million units never sit in memory at once.
  for (let from = 0; from < units; from += 50_000) {
    const chunk: Prepared[] = [];
    for (let u = from; u < Math.min(units, from + 50_000); u++) {
      chunk.push(exposure(u, armOf(u), T0 + u, now));
      if (u % 10 === 0) chunk.push(conversion(u, conversions++, T0 + u + 3_600_000, now));
    }
    for (const p of chunk) detector.inspect(p.event, p.ctx);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const after = process.memoryUsage();
  const random = seededRandom(seed);
  const timed: Prepared[] = [];
  for (let i = 0; i < timedEvents; i++) {
    const u = Math.floor(random() * units);
    timed.push(
      i % 2 === 0
        ? exposure(u, armOf(u), T0 + u + 60_000, now)
        : conversion(u, units + u, T0 + u + 7_200_000, now),
    );
  }
  // Warm the code paths, then time.
  for (let i = 0; i < Math.min(10_000, timed.length); i++) detector.inspect(timed[i]!.event, timed[i]!.ctx);
  const start = process.hrtime.bigint();
  for (const p of timed) detector.inspect(p.event, p.ctx);
  const elapsed = Number(process.hrtime.bigint() - start);
  const evalStart = process.hrtime.bigint();
  detector.evaluate(now);
  const evaluateMs = Number(process.hrtime.bigint() - evalStart) / 1e6;
  const view = detector.get(SECTION.id)!;
  const heap = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  return {
    units,
    nsPerEvent: elapsed / timed.length,
    bytesPerUnit: view.memory.bytes / units,
    heapBytesPerUnit: Math.max(0, heap) / units,
    evaluateMs,
  };
}

/** Per-event cost at growing unit counts, and memory per unit, as a table. */
export function printUnitCostReport(write: (line: string) => void, scale: 'full' | 'quick'): UnitCostRow[] {
  const sizes = scale === 'full' ? [1_000, 100_000, 1_000_000] : [1_000, 50_000];
  const timedEvents = scale === 'full' ? 400_000 : 50_000;
  write('Per-event cost and memory by number of units (one experiment, 95/5, two metrics on conversions)');
  write(
    `${timedEvents.toLocaleString('en-US')} timed events on random existing units: repeated exposures and conversions (one per unit, then duplicates), half each`,
  );
  write(
    'table bytes/unit: the typed arrays the units and outcomes hold; heap bytes/unit: the heap growth measured while the units were added',
  );
  write('units      | ns/event | table bytes/unit | heap bytes/unit | evaluate ms');
  const rows: UnitCostRow[] = [];
  // A throwaway run first, so the first row is not the one that pays for compiling the code.
  measureUnitCost(10_000, 50_000);
  for (const units of sizes) {
    (globalThis as { gc?: () => void }).gc?.();
    const row = measureUnitCost(units, timedEvents);
    rows.push(row);
    write(
      `${units.toLocaleString('en-US').padEnd(10)} | ${row.nsPerEvent.toFixed(0).padStart(8)} | ${row.bytesPerUnit
        .toFixed(1)
        .padStart(
          16,
        )} | ${row.heapBytesPerUnit.toFixed(1).padStart(15)} | ${row.evaluateMs.toFixed(1).padStart(11)}`,
    );
  }
  return rows;
}
