import type { Finding } from '../findings/finding.js';
import { dedupKey, findingTime, mergeAggregate, moreSevere, windowStart } from './finding-aggregate.js';
import { type FindingAggregate, MAX_SAMPLE_EVENT_IDS } from './store.js';

export interface FindingWriterOptions {
  /** Dedup window: findings of one key within it become one row (default 60 s). */
  windowMs?: number;
  /** Aggregates held at most; findings for new keys beyond it are dropped and counted (default 100 000). */
  maxQueue?: number;
  /** Clock, for tests (default Date.now). */
  now?: () => number;
}

/** One pending row: the aggregate plus what the hot path needs without formatting dates. */
interface Entry {
  key: string;
  windowStartMs: number;
  agg: FindingAggregate;
  firstMs: number;
  lastMs: number;
  /** When the entry started waiting, for lagSeconds(). */
  queuedAt: number;
}

/**
 * Deduplicates findings in memory and writes them to the store in batches,
 * off the hot path.
 *
 * push() is synchronous and O(1): findings with the same detector, kind,
 * contract, version, attribute and window fold into one aggregate. The
 * store flusher take()s the aggregates into a write unit and settle()s them:
 * a unit neither stored nor spooled puts its aggregates back (merged with
 * newer ones) for the next flush, so nothing accepted is lost. Beyond
 * maxQueue aggregates, findings for new keys are dropped and counted.
 */
export class FindingWriter {
  private readonly windowMs: number;
  private readonly maxQueue: number;
  private readonly now: () => number;
  private pending = new Map<string, Entry>();
  /** Entries taken by the flush under way, not settled yet. */
  private inflight: Entry[] = [];
  private droppedCount = 0;

  constructor(options: FindingWriterOptions = {}) {
    this.windowMs = positive(options.windowMs, 60_000);
    this.maxQueue = positive(options.maxQueue, 100_000);
    this.now = options.now ?? Date.now;
  }

  push(f: Finding): void {
    const timeMs = findingTime(f, this.now);
    const startMs = windowStart(timeMs, this.windowMs);
    const key = dedupKey(f, startMs);
    const count = f.count > 0 ? f.count : 1;
    const entry = this.pending.get(key);
    if (entry) {
      const agg = entry.agg;
      agg.count += count;
      if (timeMs < entry.firstMs) entry.firstMs = timeMs;
      if (timeMs >= entry.lastMs) {
        entry.lastMs = timeMs;
        agg.message = f.message;
        agg.evidence = f.evidence;
        agg.detected_at = f.detected_at;
        if (f.event_id) {
          agg.event_id = f.event_id;
          agg.occurred_at = f.occurred_at;
        }
      }
      agg.severity = moreSevere(agg.severity, f.severity);
      const samples = agg.sample_event_ids;
      if (f.event_id && samples.length < MAX_SAMPLE_EVENT_IDS && !samples.includes(f.event_id)) {
        samples.push(f.event_id);
      }
      return;
    }
    if (this.queueDepth() >= this.maxQueue) {
      this.droppedCount += 1;
      return;
    }
    this.pending.set(key, {
      key,
      windowStartMs: startMs,
      agg: {
        ...f,
        count,
        window_start: '',
        first_seen: '',
        last_seen: '',
        sample_event_ids: f.event_id ? [f.event_id] : [],
      },
      firstMs: timeMs,
      lastMs: timeMs,
      queuedAt: this.now(),
    });
  }

  /** Every pending aggregate, for a write unit; settle() says whether it was stored. */
  take(): FindingAggregate[] {
    if (this.inflight.length > 0) throw new Error('take() before the previous take() was settled');
    this.inflight = [...this.pending.values()];
    this.pending = new Map();
    return this.inflight.map(toAggregate);
  }

  /** After take(): written (or spooled), or put back in front of the queue for the next flush. */
  settle(written: boolean): void {
    if (!written) this.mergeBack(this.inflight);
    this.inflight = [];
  }

  /** Aggregates waiting to be written, including those of a flush under way. */
  queueDepth(): number {
    return this.pending.size + this.inflight.length;
  }

  /** Age in seconds of the oldest aggregate not written yet; 0 when none. */
  lagSeconds(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const e of this.inflight) if (e.queuedAt < oldest) oldest = e.queuedAt;
    // Map order is insertion order, and merge-back keeps older entries first.
    const first = this.pending.values().next();
    if (!first.done && first.value.queuedAt < oldest) oldest = first.value.queuedAt;
    return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, (this.now() - oldest) / 1000);
  }

  /** Findings dropped since creation because the queue was full. */
  dropped(): number {
    return this.droppedCount;
  }

  /** Puts entries not written back in front of the queue, merging with newer ones of the same key. */
  private mergeBack(entries: Entry[]): void {
    const merged = new Map<string, Entry>();
    for (const e of entries) merged.set(e.key, e);
    for (const [key, newer] of this.pending) {
      const older = merged.get(key);
      if (!older) {
        merged.set(key, newer);
        continue;
      }
      const olderAgg = toAggregate(older);
      mergeAggregate(olderAgg, toAggregate(newer));
      older.agg = olderAgg;
      older.firstMs = Math.min(older.firstMs, newer.firstMs);
      older.lastMs = Math.max(older.lastMs, newer.lastMs);
    }
    this.pending = merged;
  }
}

function toAggregate(e: Entry): FindingAggregate {
  return {
    ...e.agg,
    sample_event_ids: [...e.agg.sample_event_ids],
    window_start: new Date(e.windowStartMs).toISOString(),
    first_seen: new Date(e.firstMs).toISOString(),
    last_seen: new Date(e.lastMs).toISOString(),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
