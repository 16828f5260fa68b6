import type { Finding } from '../findings/finding.js';
import { dedupKey, findingTime, mergeAggregate, moreSevere, windowStart } from './finding-aggregate.js';
import { type FindingAggregate, MAX_SAMPLE_EVENT_IDS, type Store } from './store.js';

export interface FlushStats {
  /** Aggregates written by this flush. */
  written: number;
  /** Findings those aggregates stand for (sum of counts). */
  findings: number;
  /** Aggregates kept for the next flush because a write failed. */
  retained: number;
  /** Aggregates the database refused as data (not retried), counted in dropped(). */
  rejected: number;
  durationMs: number;
  /** The failure, when a write failed. */
  error?: Error;
}

export interface FindingWriterOptions {
  /** Dedup window: findings of one key within it become one row (default 60 s). */
  windowMs?: number;
  /** Timer period once started (default 1 s). */
  flushIntervalMs?: number;
  /** Aggregates per store write, each one round trip (default 500). */
  maxBatch?: number;
  /** Aggregates held at most; findings for new keys beyond it are dropped and counted (default 100 000). */
  maxQueue?: number;
  /** Called after every flush that had something to write, failed or not. */
  onFlush?(stats: FlushStats): void;
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

/** SQLSTATE classes that say the data itself is refused: retrying the same row cannot succeed. */
const DATA_ERROR_CLASSES = new Set(['22', '23']);

function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DATA_ERROR_CLASSES.has(code.slice(0, 2));
}

/**
 * Deduplicates findings in memory and writes them to the store in batches,
 * off the hot path.
 *
 * push() is synchronous and O(1): findings with the same detector, kind,
 * contract, version, attribute and window fold into one aggregate. flush()
 * writes the aggregates, maxBatch per round trip. A failed write keeps its
 * aggregates (merged with newer ones) for the next flush, so nothing accepted
 * is lost; only rows the database refuses as data are dropped, one by one.
 * Beyond maxQueue aggregates, findings for new keys are dropped and counted.
 *
 * Lifecycle: start() starts the timer (unref'd, never keeps the process
 * alive); stop() stops it and flushes what is left. Both are safe to call
 * twice, and stop() before start().
 */
export class FindingWriter {
  private readonly windowMs: number;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly now: () => number;
  private pending = new Map<string, Entry>();
  /** Entries taken by the running flush, not written yet. */
  private inflight: Entry[] = [];
  private droppedCount = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Flushes run one after the other. */
  private chain: Promise<void> = Promise.resolve();
  private flushesQueued = 0;

  constructor(
    private readonly store: Pick<Store, 'writeFindings'>,
    private readonly options: FindingWriterOptions = {},
  ) {
    this.windowMs = positive(options.windowMs, 60_000);
    this.flushIntervalMs = positive(options.flushIntervalMs, 1000);
    this.maxBatch = positive(options.maxBatch, 500);
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

  /**
   * Writes every aggregate pending when called. Rejects when a write failed;
   * the aggregates not written stay queued for the next flush.
   */
  flush(): Promise<void> {
    this.flushesQueued += 1;
    const run = this.chain.then(() => {
      this.flushesQueued -= 1;
      return this.flushNow();
    });
    this.chain = run.catch(() => {});
    return run;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // A slow database must not pile flushes up behind each other.
      if (this.flushesQueued > 0 || this.inflight.length > 0) return;
      // Failures are reported through onFlush and retried on the next tick.
      this.flush().catch(() => {});
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and flushes; rejects when the final write failed (the aggregates stay queued). */
  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    await this.flush();
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

  /** Findings dropped since creation: queue full, or refused by the database as data. */
  dropped(): number {
    return this.droppedCount;
  }

  private async flushNow(): Promise<void> {
    if (this.pending.size === 0) return;
    const started = this.now();
    this.inflight = [...this.pending.values()];
    this.pending = new Map();
    const stats: FlushStats = { written: 0, findings: 0, retained: 0, rejected: 0, durationMs: 0 };
    try {
      while (this.inflight.length > 0) {
        const batch = this.inflight.slice(0, this.maxBatch);
        await this.writeBatch(batch, stats);
        this.inflight = this.inflight.slice(batch.length);
      }
    } catch (err) {
      stats.error = err instanceof Error ? err : new Error(String(err));
      stats.retained = this.inflight.length;
      this.mergeBack(this.inflight);
      throw stats.error;
    } finally {
      this.inflight = [];
      stats.durationMs = this.now() - started;
      this.options.onFlush?.(stats);
    }
  }

  /**
   * Writes one batch. When the database refuses the data, rows are written
   * one by one so that a single unstorable row cannot block the others forever.
   */
  private async writeBatch(batch: Entry[], stats: FlushStats): Promise<void> {
    try {
      await this.store.writeFindings(batch.map(toAggregate));
      countWritten(batch, stats);
      return;
    } catch (err) {
      if (!isDataError(err) || batch.length === 0) throw err;
    }
    for (let i = 0; i < batch.length; i++) {
      const entry = batch[i]!;
      try {
        await this.store.writeFindings([toAggregate(entry)]);
        countWritten([entry], stats);
      } catch (err) {
        if (!isDataError(err)) {
          // Keep the rest of this batch for the next flush along with the later batches.
          this.inflight = [...batch.slice(i), ...this.inflight.slice(batch.length)];
          throw err;
        }
        stats.rejected += 1;
        this.droppedCount += entry.agg.count;
      }
    }
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

function countWritten(batch: Entry[], stats: FlushStats): void {
  stats.written += batch.length;
  for (const e of batch) stats.findings += e.agg.count;
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
