import { readText, type StoredText, storeText } from './stored-text.js';

/** The counts (in the order first counted, which breaks ties) and the current ranking, as plain data. */
export interface IntentRankingSnapshot {
  counts: Array<[StoredText, number]>;
  top: StoredText[];
}

/**
 * Which predicted intents get their own calibration statistics: the `size`
 * most frequently predicted ones. Counting is O(1) per prediction; the
 * ranking is redone by `rank()` (at each evaluation), so the hot path only
 * asks a Set. Until a first ranking fills it, any intent is taken, so a
 * model with few intents has them all from the start. At most `maxDistinct`
 * intents are counted: traffic decides the values, and memory must not.
 */
export class IntentRanking {
  private readonly counts = new Map<string, number>();
  private top = new Set<string>();

  constructor(
    readonly size: number,
    readonly maxDistinct = 1000,
  ) {}

  /** Counts one prediction of `intent`. */
  count(intent: string): void {
    const c = this.counts.get(intent);
    if (c !== undefined) this.counts.set(intent, c + 1);
    else if (this.counts.size < this.maxDistinct) this.counts.set(intent, 1);
  }

  /** Whether labels of `intent` feed per-intent statistics. */
  tracks(intent: string): boolean {
    return this.top.has(intent) || this.top.size < this.size;
  }

  /** Ranks the intents counted so far; ties go to the intent counted first. */
  rank(): void {
    this.top = new Set(
      [...this.counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, this.size)
        .map(([k]) => k),
    );
  }

  toJSON(): IntentRankingSnapshot {
    return {
      counts: [...this.counts].map(([k, c]) => [storeText(k), c]),
      top: [...this.top].map(storeText),
    };
  }

  /** Replaces the counts and the ranking with a snapshot's (taken with the same size). */
  restore(snapshot: IntentRankingSnapshot): void {
    this.counts.clear();
    for (const [k, c] of snapshot.counts) {
      if (this.counts.size >= this.maxDistinct) break;
      this.counts.set(readText(k), c);
    }
    this.top = new Set(snapshot.top.slice(0, this.size).map(readText));
  }
}
