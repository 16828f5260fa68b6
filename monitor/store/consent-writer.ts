import type { ConsentCheck, ConsentSinks } from '../../detectors/consent/consent-detector.js';
import type { ConsentLedger, LedgerBacking } from '../../detectors/consent/consent-ledger.js';
import type { ConsentRecord } from '../../detectors/consent/consent-record.js';
import type { ConsentStore } from './consent-store.js';

export interface ConsentWriterOptions {
  flushIntervalMs: number;
  /** Checks held while the store is unreachable; past it the oldest are dropped (and counted). */
  maxQueue: number;
  onFlush?: (stats: { records: number; checks: number; error?: unknown }) => void;
}

/**
 * Writes the consent state the hot path produces in batches: new ledger
 * records (through the ledger's flush) and every consent check. The ledger
 * loads and saves through `backing`.
 *
 * Lifecycle: `start()` starts the timer; `stop()` stops it and flushes what
 * is held; both are safe twice, and `stop()` before `start()`.
 */
export class ConsentWriter implements ConsentSinks {
  readonly backing: LedgerBacking;
  private ledger: ConsentLedger | null = null;
  private checks: ConsentCheck[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  private droppedChecks = 0;

  constructor(
    private readonly store: ConsentStore,
    private readonly opts: ConsentWriterOptions,
  ) {
    this.backing = {
      load: (ids) => store.loadRecords(ids),
      save: async (records: readonly ConsentRecord[]) => {
        await store.insertRecords(records);
      },
    };
  }

  /** The ledger whose pending records each flush writes. */
  attach(ledger: ConsentLedger): void {
    this.ledger = ledger;
  }

  check(check: ConsentCheck): void {
    this.checks.push(check);
    if (this.checks.length > this.opts.maxQueue) {
      const over = this.checks.length - this.opts.maxQueue;
      this.checks.splice(0, over);
      this.droppedChecks += over;
    }
  }

  dropped(): number {
    return this.droppedChecks;
  }

  /** Consent checks waiting to be written (they pile up while the store is unreachable). */
  queueDepth(): number {
    return this.checks.length;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch(() => {});
    }, this.opts.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => {});
  }

  /** Writes what is held; one flush at a time. Failed checks are kept for the next flush. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const pendingRecords = this.ledger?.stats().pending ?? 0;
    const batch = this.checks;
    this.checks = [];
    try {
      // Records first: a check's record_id should name a stored record.
      await this.ledger?.flush();
      await this.store.insertChecks(batch);
      this.opts.onFlush?.({ records: pendingRecords, checks: batch.length });
    } catch (error) {
      this.checks = batch.concat(this.checks);
      this.opts.onFlush?.({ records: 0, checks: 0, error });
      throw error;
    }
  }
}
