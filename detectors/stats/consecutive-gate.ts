/**
 * Fires when at least `k` of the last `n` evaluations were positive: a
 * drift must persist over windows before it is reported, so a single noisy
 * window stays quiet (as alerting rules use `for:`). Plain data, so it can
 * be snapshotted with the windows it judges.
 */
export class ConsecutiveGate {
  private history: boolean[] = [];

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

  /** Positive evaluations among the last n. */
  positives(): number {
    let c = 0;
    for (const h of this.history) if (h) c++;
    return c;
  }

  toJSON(): boolean[] {
    return [...this.history];
  }

  restore(history: readonly boolean[]): void {
    this.history = history.slice(-this.n);
  }
}
