/**
 * Tumbling sub-windows of event time holding mergeable sufficient statistics
 * (counts, sums, bin counts). A sliding window of `count` sub-windows then
 * costs O(sub-windows) to evaluate, whatever the traffic, and two replicas'
 * sub-windows could be merged later.
 */
export class SubWindows<T> {
  private readonly buckets = new Map<number, T>();
  private newest = Number.NEGATIVE_INFINITY;

  constructor(
    readonly subMs: number,
    readonly count: number,
    private readonly init: () => T,
  ) {
    if (!(subMs > 0) || !(count >= 1)) throw new RangeError('subMs must be > 0 and count >= 1');
  }

  /** The bucket holding event time `ms`, or undefined when it is older than the window kept. */
  at(ms: number): T | undefined {
    const idx = Math.floor(ms / this.subMs);
    if (idx <= this.newest - this.count) return undefined;
    let b = this.buckets.get(idx);
    if (b === undefined) {
      b = this.init();
      this.buckets.set(idx, b);
      if (idx > this.newest) {
        this.newest = idx;
        this.evict();
      }
    }
    return b;
  }

  /** Buckets whose sub-window overlaps (nowMs - count*subMs, nowMs], oldest first. */
  window(nowMs: number): T[] {
    const last = Math.floor(nowMs / this.subMs);
    const out: T[] = [];
    for (let i = last - this.count + 1; i <= last; i++) {
      const b = this.buckets.get(i);
      if (b !== undefined) out.push(b);
    }
    return out;
  }

  /** Start of the window ending at nowMs, in ms. */
  windowStart(nowMs: number): number {
    return (Math.floor(nowMs / this.subMs) - this.count + 1) * this.subMs;
  }

  clear(): void {
    this.buckets.clear();
    this.newest = Number.NEGATIVE_INFINITY;
  }

  private evict(): void {
    for (const k of this.buckets.keys()) if (k <= this.newest - this.count) this.buckets.delete(k);
  }
}
