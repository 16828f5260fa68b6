import { once } from 'node:events';
import type { FindingKind } from '../findings/finding.js';
import type { EventType } from './catalog.js';
import { EXPECTED_FINDING, FAULT_KINDS, type FaultKind, faultFits, injectFault } from './faults.js';
import { Random } from './random.js';
import { Simulation } from './simulation.js';

export { FAULT_KINDS, type FaultKind, parseFaultSpec } from './faults.js';

export interface GeneratorOptions {
  /** Same seed, same options: same events (default 42). */
  seed?: number;
  /** Size of the user population (default 1000). */
  users?: number;
  /**
   * Chance per event of each fault, 0..1. When the rates add up to more
   * than 1 they are scaled down to add up to 1 (every event one fault).
   */
  faults?: Partial<Record<FaultKind, number>>;
  /** occurred_at of the first event (default: now, which makes timestamps differ between runs). */
  start?: Date;
  /** Events per second of event time: spacing of occurred_at (default 50). */
  eventsPerSecond?: number;
  /** Share of events that name their schema_version; the rest rely on the latest active one (default 0.75). */
  versionShare?: number;
}

export interface GeneratedEvent {
  /** One line of JSON text (not valid JSON for malformed_json). */
  raw: string;
  /** The event as sent, when `raw` is a JSON object. */
  event?: Record<string, unknown>;
  /** The contract the event was generated for (before any fault renamed or removed event_type). */
  contract: EventType;
  fault: FaultKind | null;
  /** The finding kind a checker must report because of the fault (null for a clean event). */
  expectedKind: FindingKind | null;
  /** JSON pointer of the attribute the fault concerns, when there is one. */
  attribute: string | null;
}

/**
 * Synthetic conversation traffic with injected faults, deterministic for a
 * seed. A fault drawn for an event it cannot apply to (pii_in_text needs
 * free text; consent events only take faults that keep them valid) is owed
 * and goes to the next event it fits, so each rate holds over the stream as
 * long as enough events fit.
 */
export class TrafficGenerator {
  private readonly rng: Random;
  private readonly sim: Simulation;
  /** Cumulative thresholds over FAULT_KINDS for one uniform draw. */
  private readonly thresholds: number[];
  private readonly anyFault: boolean;
  private readonly owed = new Map<FaultKind, number>();

  constructor(opts: GeneratorOptions = {}) {
    const eventsPerSecond = opts.eventsPerSecond ?? 50;
    if (!(eventsPerSecond > 0)) throw new Error('eventsPerSecond must be greater than 0');
    this.rng = new Random(opts.seed ?? 42);
    // The simulation has its own stream so that turning faults on does not change the traffic underneath.
    this.sim = new Simulation(new Random((opts.seed ?? 42) ^ 0x5eed), {
      users: opts.users ?? 1000,
      startMs: (opts.start ?? new Date()).getTime(),
      stepMs: 1000 / eventsPerSecond,
      versionShare: opts.versionShare ?? 0.75,
    });
    const rates = FAULT_KINDS.map((k) => {
      const r = opts.faults?.[k] ?? 0;
      if (!(r >= 0 && r <= 1)) throw new Error(`fault rate for ${k} must be between 0 and 1`);
      return r;
    });
    const total = rates.reduce((a, b) => a + b, 0);
    const scale = total > 1 ? 1 / total : 1;
    let cum = 0;
    this.thresholds = rates.map((r) => {
      cum += r * scale;
      return cum;
    });
    this.anyFault = total > 0;
  }

  next(): GeneratedEvent {
    const { type, event } = this.sim.next();
    const kind = this.anyFault ? this.chooseFault(type) : null;
    if (kind === null) {
      return {
        raw: JSON.stringify(event),
        event,
        contract: type,
        fault: null,
        expectedKind: null,
        attribute: null,
      };
    }
    const injected = injectFault(kind, type, event, this.rng);
    return {
      raw: injected.raw,
      ...(injected.event ? { event: injected.event } : {}),
      contract: type,
      fault: kind,
      expectedKind: EXPECTED_FINDING[kind],
      attribute: injected.attribute,
    };
  }

  batch(n: number): GeneratedEvent[] {
    const out = new Array<GeneratedEvent>(n);
    for (let i = 0; i < n; i++) out[i] = this.next();
    return out;
  }

  private chooseFault(type: EventType): FaultKind | null {
    const u = this.rng.next();
    let drawn: FaultKind | null = null;
    for (let i = 0; i < this.thresholds.length; i++) {
      if (u < this.thresholds[i]!) {
        drawn = FAULT_KINDS[i]!;
        break;
      }
    }
    if (drawn !== null) {
      if (faultFits(drawn, type)) return drawn;
      this.owe(drawn);
    }
    for (const [kind, n] of this.owed) {
      if (!faultFits(kind, type)) continue;
      if (n <= 1) this.owed.delete(kind);
      else this.owed.set(kind, n - 1);
      return kind;
    }
    return null;
  }

  private owe(kind: FaultKind): void {
    // Capped so that a fault that fits almost nothing cannot pile up into a burst later.
    this.owed.set(kind, Math.min((this.owed.get(kind) ?? 0) + 1, 100));
  }
}

export interface GenerateSummary {
  count: number;
  faults: Record<FaultKind, number>;
}

/**
 * Writes `count` events as NDJSON to `out`, waiting for the stream to drain
 * when it pushes back. Returns how many events carry each fault.
 */
export async function writeNdjson(
  opts: GeneratorOptions & { count: number },
  out: NodeJS.WritableStream,
): Promise<GenerateSummary> {
  const gen = new TrafficGenerator(opts);
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const chunk = 1000;
  for (let written = 0; written < opts.count; ) {
    const n = Math.min(chunk, opts.count - written);
    let text = '';
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.fault) faults[e.fault]++;
      text += `${e.raw}\n`;
    }
    written += n;
    if (!out.write(text)) await once(out, 'drain');
  }
  return { count: opts.count, faults };
}
