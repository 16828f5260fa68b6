/**
 * Fires when at least `k` of the last `n` evaluations were positive: a
 * drift must persist over windows before it is reported, so a single noisy
 * window stays quiet (as alerting rules use `for:`). Plain data, so it can
 * be snapshotted with the windows it judges.
 */
export class ConsecutiveGate {
  private history: boolean[] = [];
  /** The window the last entry belongs to (record()), null when entries came from push(). */
  private slot: number | null = null;

  constructor(
    readonly k: number,
    readonly n: number,
  ) {
    if (!Number.isInteger(k) || !Number.isInteger(n) || k < 1 || n < k) {
      throw new RangeError('need integers with 1 <= k <= n');
    }
  }

  /** Records one evaluation; true when k of the last n (this one included) were positive. */
  push(positive: boolean): boolean {
    this.history.push(positive);
    if (this.history.length > this.n) this.history.shift();
    return this.positives() >= this.k;
  }

  /**
   * Records the verdict of an evaluation of window `slot` (e.g. the index of
   * the window of event time it judged): a later evaluation of the same
   * window replaces its entry, so k of n counts windows, not evaluations,
   * however often a timer evaluates.
   */
  record(slot: number, positive: boolean): boolean {
    if (this.slot === slot && this.history.length > 0) this.history[this.history.length - 1] = positive;
    else {
      this.slot = slot;
      return this.push(positive);
    }
    return this.positives() >= this.k;
  }

  /** The window of the last record(), for snapshots. */
  get lastSlot(): number | null {
    return this.slot;
  }

  /** Positive evaluations among the last n. */
  positives(): number {
    let c = 0;
    for (const h of this.history) if (h) c++;
    return c;
  }

  toJSON(): boolean[] {
    return [...this.history];
  }

  restore(history: readonly boolean[], lastSlot: number | null = null): void {
    this.history = history.slice(-this.n);
    this.slot = lastSlot;
  }
}
