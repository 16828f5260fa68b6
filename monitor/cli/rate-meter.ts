/**
 * Rate of a growing total over the last few seconds (not since the start),
 * so a stall or a burst shows up in the number a user watches.
 */
export class RateMeter {
  private readonly samples: Array<{ at: number; total: number }> = [];

  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records the running total; call it whenever the total is known. */
  record(total: number): void {
    const at = this.now();
    this.samples.push({ at, total });
    // Keep one sample older than the window as the baseline.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) this.samples.shift();
  }

  /** Units per second over the window; 0 until two samples are apart in time. */
  perSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    return ((last.total - first.total) * 1000) / (last.at - first.at);
  }
}
