import type { ConsentCheck, ConsentSinks } from '../../detectors/consent/consent-detector.js';
import type { ConsentLedger, LedgerBacking } from '../../detectors/consent/consent-ledger.js';
import type { ConsentRecord } from '../../detectors/consent/consent-record.js';
import type { ConsentStore } from './consent-store.js';

export interface ConsentWriterOptions {
  /** Checks held while the store is unreachable; past it the oldest are dropped (and counted). */
  maxQueue: number;
}

/**
 * Holds the consent state the hot path produces until the store flusher
 * takes it into a write unit: the ledger's new records and every consent
 * check. The ledger loads users through `backing`.
 */
export class ConsentWriter implements ConsentSinks {
  readonly backing: LedgerBacking;
  private ledger: ConsentLedger | null = null;
  private checks: ConsentCheck[] = [];
  private droppedChecks = 0;

  constructor(
    store: ConsentStore,
    private readonly opts: ConsentWriterOptions,
  ) {
    this.backing = {
      load: (ids) => store.loadRecords(ids),
      save: async (records: readonly ConsentRecord[]) => {
        await store.insertRecords(records);
      },
    };
  }

  /** The ledger whose pending records each flush takes. */
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

  /** Consent checks waiting to be written (they pile up while neither the store nor the spool takes them). */
  queueDepth(): number {
    return this.checks.length;
  }

  /** New ledger records and the checks held, for a write unit. */
  take(): { records: ConsentRecord[]; checks: ConsentCheck[] } {
    const checks = this.checks;
    this.checks = [];
    return { records: this.ledger?.takePending() ?? [], checks };
  }

  /** Records of a unit now in the store (written directly or replayed from the spool). */
  stored(records: readonly ConsentRecord[]): void {
    if (records.length > 0) this.ledger?.confirmStored(records);
  }

  /** Records waiting in the spool from an earlier run, so the ledger applies them when their users load. */
  unstored(records: readonly ConsentRecord[]): void {
    if (records.length > 0) this.ledger?.addUnstored(records);
  }
}
