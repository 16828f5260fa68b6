import { randomUUID } from 'node:crypto';
import type { ConsentWriter } from '../consent-writer.js';
import type { FindingWriter } from '../finding-writer.js';
import { isEmptyUnit, unitRows, type WriteUnit } from '../write-unit.js';
import type { DurableWriter, WriteOutcome } from './durable-writer.js';

export interface FlushReport {
  /** failed: neither stored nor spooled; the rows wait in memory for the next flush. */
  outcome: WriteOutcome | 'failed';
  rows: number;
  findings: number;
  durationMs: number;
  error?: Error;
}

export interface StoreFlusherOptions {
  /** Timer period once started. */
  flushIntervalMs: number;
  /** Called after every flush that had something to write, whatever became of it. */
  onFlush?: (report: FlushReport) => void;
}

/**
 * Moves what the hot path produced into the store: on a timer, and when asked
 * (a report that must see the latest checks, a stream source about to ack).
 *
 * Each flush takes every pending finding aggregate, new consent record and
 * consent check, plus the stream event ids it is asked to mark, into one write
 * unit, and hands it to the durable writer: stored in one transaction, or
 * spooled to disk. So a stream event is marked processed in the same
 * transaction that stores its results, and a redelivered event is either
 * wholly in the store or not at all. A unit neither stored nor spooled is
 * held, id and all, and written first by the next flush: a write whose
 * commit went through but whose answer was lost is then recognised by its
 * id, not counted twice.
 *
 * Flushes run one after the other. Lifecycle: start() starts the timer
 * (unref'd); stop() stops it and flushes once more, rejecting when that
 * failed. Both are safe twice, and stop() before start().
 */
export class StoreFlusher {
  private chain: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Units neither stored nor spooled, oldest first: the next flush writes them before anything new. */
  private held: WriteUnit[] = [];
  /** Stream event ids marked processed, for the next unit. */
  private marked: string[] = [];
  /** When the oldest held unit was made, for the write lag. */
  private heldSince = 0;
  private heldFindings = 0;
  private heldChecks = 0;

  constructor(
    private readonly findings: FindingWriter,
    private readonly consent: ConsentWriter,
    private readonly durable: DurableWriter,
    private readonly opts: StoreFlusherOptions,
  ) {}

  /**
   * Marks stream events processed in the next unit taken. Call it before the
   * events go through the pipeline: every unit that takes one of their
   * findings then takes their ids too, whichever flush (timer or caller)
   * gets there first, so results and ids are never stored apart.
   */
  markProcessed(eventIds: readonly string[]): void {
    for (const id of eventIds) this.marked.push(id);
  }

  /** Writes everything pending (and marks these events processed with it). Null when there was nothing. */
  flush(eventIds: readonly string[] = []): Promise<WriteOutcome | null> {
    this.markProcessed(eventIds);
    this.queued += 1;
    const run = this.chain.then(() => {
      this.queued -= 1;
      return this.flushNow();
    });
    this.chain = run.catch(() => {});
    return run;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // A slow store must not pile flushes up behind each other.
      if (this.queued > 0) return;
      // Failures are reported through onFlush and retried on the next tick.
      this.flush().catch(() => {});
    }, this.opts.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    await this.flush();
  }

  /** Units held, and the finding aggregates and consent checks in them, for the backlog check. */
  heldRows(): { units: number; findings: number; checks: number; lagSeconds: number } {
    const lagSeconds = this.held.length > 0 ? (Date.now() - this.heldSince) / 1000 : 0;
    return { units: this.held.length, findings: this.heldFindings, checks: this.heldChecks, lagSeconds };
  }

  private async flushNow(): Promise<WriteOutcome | null> {
    while (this.held.length > 0) {
      const unit = this.held[0]!;
      await this.write(unit);
      this.held.shift();
      this.heldFindings -= unit.findings.length;
      this.heldChecks -= unit.checks.length;
    }
    // One synchronous block: what the writers hold and the ids marked before it was pushed.
    const consent = this.consent.take();
    const marked = this.marked;
    this.marked = [];
    const unit: WriteUnit = {
      id: randomUUID(),
      findings: this.findings.take(),
      records: consent.records,
      checks: consent.checks,
      eventIds: [...new Set(marked)],
    };
    // The writers are done with these rows either way: written, spooled, or held here.
    this.findings.settle(true);
    if (isEmptyUnit(unit)) return null;
    try {
      return await this.write(unit);
    } catch (err) {
      if (this.held.length === 0) this.heldSince = Date.now();
      this.held.push(unit);
      this.heldFindings += unit.findings.length;
      this.heldChecks += unit.checks.length;
      throw err;
    }
  }

  private async write(unit: WriteUnit): Promise<WriteOutcome> {
    const started = performance.now();
    let outcome: FlushReport['outcome'] = 'failed';
    let error: Error | undefined;
    try {
      outcome = await this.durable.write(unit);
      return outcome;
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
      throw error;
    } finally {
      try {
        this.opts.onFlush?.({
          outcome,
          rows: unitRows(unit),
          findings: unit.findings.length,
          durationMs: performance.now() - started,
          ...(error ? { error } : {}),
        });
      } catch {
        // A report that fails must not turn a stored unit into one held and written again.
      }
    }
  }
}
