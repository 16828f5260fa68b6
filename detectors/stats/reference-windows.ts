/**
 * A current window of event time and the reference it is compared with,
 * built from tumbling sub-windows of mergeable statistics. The reference is
 * one of:
 * - `previous_window`: the window just before the current one;
 * - `same_hour_last_week`: the hours a week before the current window
 *   (weekly seasonality: Monday 9:00 against Monday 9:00);
 * - `baseline`: a fixed period (by default the first window seen), merged
 *   and frozen once it has passed, so later drift cannot move it.
 * Events only touch their sub-window (`at`); merging happens when a window
 * is read, so per-event work stays O(1) whatever the reference.
 */
export type ReferenceKind = 'previous_window' | 'same_hour_last_week' | 'baseline';

/** How the statistics of two sub-windows combine, and their plain-data form for snapshots. */
export interface Mergeable<T> {
  empty(): T;
  /** Adds `from` into `into` and returns `into`. */
  merge(into: T, from: T): T;
  toJSON(stats: T): unknown;
  fromJSON(data: unknown): T;
}

export interface ReferenceWindowsOptions {
  subMs: number;
  /** Sub-windows in a window. */
  count: number;
  reference: ReferenceKind;
  /** For `baseline`: the period, in ms of event time; default the first window after the first event. */
  baseline?: { fromMs: number; toMs: number };
}

export interface WindowRead<T> {
  stats: T;
  fromMs: number;
  toMs: number;
}

/** What a restart needs to carry on (see snapshot()). */
export interface ReferenceWindowsSnapshot {
  buckets: Array<[number, unknown]>;
  hours: Array<[number, unknown]>;
  baseline: { fromMs: number; toMs: number; stats: unknown; frozen: boolean } | null;
}

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

export class ReferenceWindows<T> {
  private readonly buckets = new Map<number, T>();
  /** Sub-windows that slid out, merged per hour of event time (same_hour_last_week only). */
  private readonly hours = new Map<number, T>();
  private newest = Number.NEGATIVE_INFINITY;
  private baseline: { fromMs: number; toMs: number; stats: T; frozen: boolean } | null = null;
  private readonly windowMs: number;
  /** Sub-windows kept live: two windows when the reference is the previous one. */
  private readonly keep: number;

  constructor(
    private readonly ops: Mergeable<T>,
    private readonly options: ReferenceWindowsOptions,
  ) {
    if (!(options.subMs > 0) || !(options.count >= 1))
      throw new RangeError('subMs must be > 0 and count >= 1');
    this.windowMs = options.subMs * options.count;
    this.keep = options.reference === 'previous_window' ? 2 * options.count : options.count;
    if (options.reference === 'baseline' && options.baseline) {
      const { fromMs, toMs } = options.baseline;
      if (!(toMs > fromMs)) throw new RangeError('the baseline must end after it starts');
      this.baseline = { fromMs, toMs, stats: ops.empty(), frozen: false };
    }
  }

  /** The sub-window holding event time `ms`, or undefined when it is older than anything kept live. */
  at(ms: number): T | undefined {
    const idx = Math.floor(ms / this.options.subMs);
    if (idx <= this.newest - this.keep) return undefined;
    let b = this.buckets.get(idx);
    if (b === undefined) {
      if (this.options.reference === 'baseline' && this.baseline === null) {
        // The default baseline: the first window, from the first event's sub-window on.
        const fromMs = idx * this.options.subMs;
        this.baseline = { fromMs, toMs: fromMs + this.windowMs, stats: this.ops.empty(), frozen: false };
      }
      b = this.ops.empty();
      this.buckets.set(idx, b);
      if (idx > this.newest) {
        this.newest = idx;
        this.slide();
      }
    }
    return b;
  }

  /** The window ending at `nowMs` (its sub-windows up to and including the one holding nowMs). */
  current(nowMs: number): WindowRead<T> {
    const last = Math.floor(nowMs / this.options.subMs);
    return this.range(last - this.options.count + 1, last);
  }

  /** The reference for the window ending at `nowMs`; null while there is none yet (nothing to compare with). */
  reference(nowMs: number): WindowRead<T> | null {
    const last = Math.floor(nowMs / this.options.subMs);
    const first = last - this.options.count + 1;
    switch (this.options.reference) {
      case 'previous_window': {
        const read = this.range(first - this.options.count, first - 1);
        return read;
      }
      case 'same_hour_last_week': {
        // Last week is kept by the hour: the reference is the whole hours the window spans a week back,
        // and says so (the distributions are compared as shares, so the longer span is no bias).
        const fromMs = Math.floor((first * this.options.subMs - WEEK_MS) / HOUR_MS) * HOUR_MS;
        const toMs = Math.ceil(((last + 1) * this.options.subMs - WEEK_MS) / HOUR_MS) * HOUR_MS;
        const stats = this.ops.empty();
        let any = false;
        for (let h = fromMs / HOUR_MS; h * HOUR_MS < toMs; h++) {
          const s = this.hours.get(h);
          if (s !== undefined) {
            this.ops.merge(stats, s);
            any = true;
          }
        }
        return any ? { stats, fromMs, toMs } : null;
      }
      case 'baseline': {
        const b = this.baseline;
        if (b === null || nowMs < b.toMs) return null;
        if (!b.frozen) {
          // Sub-windows of the period still live are merged now; earlier ones were merged as they slid out.
          for (const [idx, s] of this.buckets) if (this.inBaseline(idx)) this.ops.merge(b.stats, s);
          b.frozen = true;
        }
        return { stats: b.stats, fromMs: b.fromMs, toMs: b.toMs };
      }
    }
  }

  /** Plain data for the store; `restore` on a fresh instance with the same options carries on from it. */
  snapshot(): ReferenceWindowsSnapshot {
    const json = (m: Map<number, T>) => [...m].map(([k, v]) => [k, this.ops.toJSON(v)] as [number, unknown]);
    const b = this.baseline;
    return {
      buckets: json(this.buckets),
      hours: json(this.hours),
      baseline: b && { fromMs: b.fromMs, toMs: b.toMs, stats: this.ops.toJSON(b.stats), frozen: b.frozen },
    };
  }

  restore(snapshot: ReferenceWindowsSnapshot): void {
    this.buckets.clear();
    this.hours.clear();
    this.newest = Number.NEGATIVE_INFINITY;
    for (const [k, v] of snapshot.hours) this.hours.set(k, this.ops.fromJSON(v));
    const b = snapshot.baseline;
    this.baseline = b && {
      fromMs: b.fromMs,
      toMs: b.toMs,
      stats: this.ops.fromJSON(b.stats),
      frozen: b.frozen,
    };
    for (const [k, v] of snapshot.buckets) {
      this.buckets.set(k, this.ops.fromJSON(v));
      if (k > this.newest) this.newest = k;
    }
  }

  private range(first: number, last: number): WindowRead<T> {
    const stats = this.ops.empty();
    for (let i = first; i <= last; i++) {
      const b = this.buckets.get(i);
      if (b !== undefined) this.ops.merge(stats, b);
    }
    return { stats, fromMs: first * this.options.subMs, toMs: (last + 1) * this.options.subMs };
  }

  private inBaseline(idx: number): boolean {
    const b = this.baseline;
    if (b === null) return false;
    const start = idx * this.options.subMs;
    return start >= b.fromMs && start < b.toMs;
  }

  /** Sub-windows that slid out are folded into what outlives them: the baseline or their hour. */
  private slide(): void {
    for (const [idx, s] of this.buckets) {
      if (idx > this.newest - this.keep) continue;
      this.buckets.delete(idx);
      if (this.baseline && !this.baseline.frozen && this.inBaseline(idx))
        this.ops.merge(this.baseline.stats, s);
      if (this.options.reference === 'same_hour_last_week') {
        const h = Math.floor((idx * this.options.subMs) / HOUR_MS);
        const into = this.hours.get(h);
        this.hours.set(h, into === undefined ? s : this.ops.merge(into, s));
      }
    }
    if (this.options.reference === 'same_hour_last_week') {
      // A week and a window back is as far as a reference reaches.
      const oldest = Math.floor((this.newest * this.options.subMs - WEEK_MS - this.windowMs) / HOUR_MS) - 1;
      for (const h of this.hours.keys()) if (h < oldest) this.hours.delete(h);
    }
  }
}
