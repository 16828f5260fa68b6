import { isDataError } from '../data-error.js';
import type { Store } from '../store.js';
import { splitUnit, type WriteUnit } from '../write-unit.js';
import type { Spool } from './spool.js';

export type WriteOutcome = 'stored' | 'duplicate' | 'spooled';

/** Rows the database refused as data, by kind; they cannot be stored however often they are sent. */
export interface DroppedRows {
  findings: number;
  records: number;
  checks: number;
}

export interface DurableWriterOptions {
  /** Where units go while the store fails; null: no spool, a failed write is the caller's to keep. */
  spool: Spool | null;
  /** First wait before the replay tries the store again; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /**
   * A store write not answered within this long counts as failed and the unit
   * is spooled (default 5 s): a database that hangs is treated as one that
   * is down. Should the write commit after all, the replay finds its id taken.
   * Well under the shutdown's grace, so the last flush reaches the spool.
   */
  writeTimeoutMs?: number;
  /** Told when the replay starts failing (once per outage) and when it caught up. */
  onReplayError?: (err: unknown) => void;
  onReplayed?: (units: number) => void;
  /** Told of every unit now in the store, written directly or replayed (not of duplicates' contents twice). */
  onStored?: (unit: WriteUnit) => void;
}

/**
 * Writes units to the store, exactly once, and never loses one it accepted.
 *
 * write() tries the store; when the store cannot be reached it appends the
 * unit to the spool (synced to disk) and resolves all the same: the unit is
 * durable. From then on, and until the spool is replayed to its end, every
 * unit goes to the spool behind the others, so the store receives them in
 * the order they were made (the first of two consent records with one id
 * wins, and the audit chain lists them in that order). A background replay
 * writes the spooled units one by one, each in its own transaction claiming
 * the unit's id, so a unit replayed twice (a crash between its commit and the
 * spool moving on) is written once.
 *
 * A unit the database refuses as data is written row by row, each row a unit
 * of its own derived id, and only the refused rows are dropped (and counted).
 *
 * write() rejects only when the unit is neither stored nor spooled: no
 * spool, a full spool (SpoolFullError) or a failing disk. The caller then
 * keeps the rows.
 */
export class DurableWriter {
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly writeTimeoutMs: number;
  private replaying: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly droppedRows: DroppedRows = { findings: 0, records: 0, checks: 0 };
  private spooledUnits = 0;
  private replayedUnits = 0;

  constructor(
    private readonly store: Pick<Store, 'writeUnit'>,
    private readonly opts: DurableWriterOptions,
  ) {
    this.retryMs = opts.retryMs ?? 500;
    this.maxRetryMs = opts.maxRetryMs ?? 30_000;
    this.writeTimeoutMs = opts.writeTimeoutMs ?? 5_000;
  }

  get spool(): Spool | null {
    return this.opts.spool;
  }

  async write(unit: WriteUnit): Promise<WriteOutcome> {
    const spool = this.opts.spool;
    if (spool && !spool.isEmpty()) return this.toSpool(spool, unit);
    let outcome: 'stored' | 'duplicate';
    try {
      outcome = await this.apply(unit);
    } catch (err) {
      if (!spool) throw err;
      return this.toSpool(spool, unit);
    }
    this.opts.onStored?.(unit);
    return outcome;
  }

  /** Replays what an earlier run left in the spool; write() starts it too. */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops the replay after the unit under way; the spool keeps the rest for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.replaying;
  }

  dropped(): DroppedRows {
    return { ...this.droppedRows };
  }

  /** Units spooled and replayed since creation. */
  counts(): { spooled: number; replayed: number } {
    return { spooled: this.spooledUnits, replayed: this.replayedUnits };
  }

  /** Resolves once the spool is empty (tests, and a shutdown that may wait). */
  async drained(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.opts.spool && !this.opts.spool.isEmpty()) {
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  private async toSpool(spool: Spool, unit: WriteUnit): Promise<WriteOutcome> {
    await spool.append(unit);
    this.spooledUnits += 1;
    this.kick();
    return 'spooled';
  }

  private async apply(unit: WriteUnit): Promise<'stored' | 'duplicate'> {
    try {
      return (await this.timed(this.store.writeUnit(unit))) ? 'stored' : 'duplicate';
    } catch (err) {
      if (!isDataError(err)) throw err;
    }
    // The transaction rolled back: nothing of the unit is in. Parts already written by an
    // earlier attempt at this split are recognised by their ids.
    for (const part of splitUnit(unit)) {
      try {
        await this.timed(this.store.writeUnit(part));
      } catch (err) {
        if (!isDataError(err)) throw err;
        this.droppedRows.findings += part.findings.reduce((n, f) => n + (f.count > 0 ? f.count : 1), 0);
        this.droppedRows.records += part.records.length;
        this.droppedRows.checks += part.checks.length;
      }
    }
    // The whole unit's id last: a later replay of it is then a duplicate, not a second try that
    // could add the parts written here once more.
    await this.timed(
      this.store.writeUnit({ id: unit.id, findings: [], records: [], checks: [], eventIds: [] }),
    );
    return 'stored';
  }

  private timed<T>(write: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the store did not answer a write within ${this.writeTimeoutMs} ms`)),
        this.writeTimeoutMs,
      );
      timer.unref();
    });
    // A write that fails after its timeout has nobody left to tell.
    write.catch(() => {});
    return Promise.race([write, timeout]).finally(() => clearTimeout(timer));
  }

  private kick(): void {
    if (this.stopped || !this.opts.spool) return;
    if (this.replaying) {
      this.wake?.();
      return;
    }
    this.replaying = this.replay().finally(() => {
      this.replaying = null;
      // A unit appended while the loop was ending would otherwise wait for the next write.
      if (!this.stopped && this.opts.spool && !this.opts.spool.isEmpty()) this.kick();
    });
  }

  private async replay(): Promise<void> {
    const spool = this.opts.spool!;
    let wait = this.retryMs;
    let failing = false;
    let replayed = 0;
    while (!this.stopped && !spool.isEmpty()) {
      try {
        const unit = await spool.peek();
        if (!unit) break;
        await this.apply(unit);
        await spool.advance();
        this.opts.onStored?.(unit);
        this.replayedUnits += 1;
        replayed += 1;
        wait = this.retryMs;
        failing = false;
      } catch (err) {
        if (this.stopped) break;
        if (!failing) this.opts.onReplayError?.(err);
        failing = true;
        await this.sleep(wait);
        wait = Math.min(wait * 2, this.maxRetryMs);
      }
    }
    if (replayed > 0 && spool.isEmpty()) this.opts.onReplayed?.(replayed);
  }

  /** Waits, or less when stop() or a new write wakes the loop (the store may be back). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }
}
