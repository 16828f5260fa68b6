import { readText, type StoredText, storeText } from './stored-text.js';

/**
 * Joins predictions with the labels that arrive for them later, in memory
 * and in O(1) per event (amortized), by the prediction's event id.
 *
 * - A prediction waits for its label in a Map (insertion order is arrival
 *   order) until `ttlMs` of event time has passed; it stays there after its
 *   label came, so that a duplicate of either event is recognized and does
 *   not count twice. The Map holds at most `maxPending` predictions: when it
 *   is full the oldest arrival goes first, counted as `evicted` if it was
 *   still waiting.
 * - A label joins when it is at most `ttlMs` after its prediction (event
 *   time); a later one is counted as `late` and not joined. A label whose
 *   prediction has already been swept out cannot be told from one for an
 *   unknown prediction: it counts as `unmatched`.
 * - A label for a prediction not seen yet is held for `holdMs` of event time
 *   (two streams rarely arrive in step), at most `maxHeld` of them; a
 *   prediction arriving meanwhile joins it, otherwise it counts as `unmatched`.
 *   The first label of a prediction wins; later ones count as `duplicateLabels`.
 *
 * Event time advances as a watermark: the latest event time seen. Sweeping
 * walks from the oldest arrival and stops at the first one still alive, so a
 * prediction that arrived out of order may stay a little past its TTL; the
 * TTL check on the label's own event time keeps it from joining late.
 */
export interface LabelJoinOptions {
  ttlMs: number;
  maxPending: number;
  /** How long a label that came before its prediction is held (event time). */
  holdMs?: number;
  maxHeld?: number;
}

/** A label that found its prediction. */
export interface Joined<P> {
  prediction: P;
  predictionMs: number;
  label: string;
}

export type LabelOutcome<P> =
  | ({ status: 'joined' } & Joined<P>)
  | { status: 'late' | 'duplicate' }
  /** No prediction with that id is kept: the caller may `hold` the label. */
  | { status: 'unknown' };

/** Cumulative counts (counters), and what is waiting now (gauges). */
export interface JoinCounts {
  /** Distinct predictions taken in. */
  predictions: number;
  duplicatePredictions: number;
  joined: number;
  /** Labels more than the TTL after their prediction. */
  late: number;
  /** Labels that met no prediction: unknown, already swept, or held until the hold passed. */
  unmatched: number;
  /** A second label for an already labelled prediction (or a held one). */
  duplicateLabels: number;
  /** Predictions dropped unlabelled because the map was full. */
  evicted: number;
  /** Predictions whose TTL passed without a label. */
  expired: number;
  /** Predictions waiting for their label now. */
  pending: number;
  /** Labels held now for a prediction not seen yet. */
  held: number;
}

export const DEFAULT_HOLD_MS = 15 * 60_000;
export const DEFAULT_MAX_HELD = 100_000;

interface Entry<P> {
  ms: number;
  /** Dropped once labelled: only the id is needed then, to know a duplicate. */
  payload: P | null;
  labelled: boolean;
}

/**
 * The join as plain data, in arrival order, for a restart to carry on from
 * (toJSON / restore): every kept prediction and held label, so nothing
 * waiting is lost, and the counters.
 */
export interface LabelJoinSnapshot<E> {
  /** [id, event ms, payload]; a labelled prediction has no payload. */
  entries: Array<[StoredText, number] | [StoredText, number, E]>;
  /** [prediction id, event ms, label]. */
  held: Array<[StoredText, number, StoredText]>;
  /** Null before any event. */
  watermark: number | null;
  counts: Omit<JoinCounts, 'pending' | 'held'>;
}

interface Held {
  ms: number;
  label: string;
}

export class LabelJoin<P> {
  private readonly entries = new Map<string, Entry<P>>();
  private readonly held = new Map<string, Held>();
  private watermark = Number.NEGATIVE_INFINITY;
  private readonly holdMs: number;
  private readonly maxHeld: number;
  private readonly c = {
    predictions: 0,
    duplicatePredictions: 0,
    joined: 0,
    late: 0,
    unmatched: 0,
    duplicateLabels: 0,
    evicted: 0,
    expired: 0,
    pending: 0,
  };

  constructor(private readonly options: LabelJoinOptions) {
    if (!(options.ttlMs > 0) || !(options.maxPending >= 1)) {
      throw new RangeError('ttlMs must be > 0 and maxPending >= 1');
    }
    this.holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
    this.maxHeld = options.maxHeld ?? DEFAULT_MAX_HELD;
  }

  /**
   * Takes in a prediction. `duplicate` when one with the same id is kept;
   * `added`, with the label held for it if one was.
   */
  addPrediction(
    id: string,
    ms: number,
    payload: P,
  ): { status: 'duplicate' } | { status: 'added'; joined: Joined<P> | null } {
    if (this.entries.has(id)) {
      this.c.duplicatePredictions++;
      this.advance(ms);
      return { status: 'duplicate' };
    }
    const entry: Entry<P> = { ms, payload, labelled: false };
    this.entries.set(id, entry);
    this.c.predictions++;
    this.c.pending++;
    if (this.entries.size > this.options.maxPending) this.evictOldest();
    let joined: Joined<P> | null = null;
    const h = this.held.get(id);
    if (h !== undefined) {
      this.held.delete(id);
      const outcome = this.settle(entry, h.ms, h.label);
      if (outcome.status === 'joined') {
        joined = { prediction: outcome.prediction, predictionMs: outcome.predictionMs, label: outcome.label };
      }
    }
    this.advance(ms);
    return { status: 'added', joined };
  }

  /** Looks the label's prediction up; joins it when it is waiting and within the TTL. */
  match(key: string, ms: number, label: string): LabelOutcome<P> {
    const entry = this.entries.get(key);
    let outcome: LabelOutcome<P>;
    if (entry === undefined) {
      outcome = this.held.has(key) ? this.duplicate() : { status: 'unknown' };
    } else {
      outcome = entry.labelled ? this.duplicate() : this.settle(entry, ms, label);
    }
    this.advance(ms);
    return outcome;
  }

  /** Holds a label `match` found no prediction for, until its prediction comes or the hold passes. */
  hold(key: string, ms: number, label: string): void {
    if (this.held.has(key)) {
      this.c.duplicateLabels++;
      return;
    }
    this.held.set(key, { ms, label });
    if (this.held.size > this.maxHeld) {
      const oldest = this.held.keys().next().value as string;
      this.held.delete(oldest);
      this.c.unmatched++;
    }
  }

  /** Moves event time on to `ms` (if later) and sweeps what it leaves behind. */
  advance(ms: number): void {
    if (!(ms > this.watermark)) return;
    this.watermark = ms;
    for (const [id, e] of this.entries) {
      if (e.ms + this.options.ttlMs >= ms) break;
      this.entries.delete(id);
      if (!e.labelled) {
        this.c.pending--;
        this.c.expired++;
      }
    }
    for (const [key, h] of this.held) {
      if (h.ms + this.holdMs >= ms) break;
      this.held.delete(key);
      this.c.unmatched++;
    }
  }

  counts(): JoinCounts {
    return { ...this.c, held: this.held.size };
  }

  /** Plain data (see LabelJoinSnapshot); `encode` writes a waiting prediction's payload. */
  toJSON<E>(encode: (payload: P) => E): LabelJoinSnapshot<E> {
    const { pending: _, ...counts } = this.c;
    return {
      entries: [...this.entries].map(([id, e]) =>
        e.labelled ? [storeText(id), e.ms] : [storeText(id), e.ms, encode(e.payload as P)],
      ),
      held: [...this.held].map(([key, h]) => [storeText(key), h.ms, storeText(h.label)]),
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
      counts,
    };
  }

  /**
   * Replaces this join's state with a snapshot taken under the same options;
   * `decode` reads a payload back (and may throw on one that does not read).
   */
  restore<E>(snapshot: LabelJoinSnapshot<E>, decode: (data: E) => P): void {
    this.entries.clear();
    this.held.clear();
    let pending = 0;
    for (const [id, ms, data] of snapshot.entries) {
      const labelled = data === undefined;
      if (!labelled) pending++;
      this.entries.set(readText(id), { ms, payload: labelled ? null : decode(data), labelled });
    }
    for (const [key, ms, label] of snapshot.held)
      this.held.set(readText(key), { ms, label: readText(label) });
    this.watermark = snapshot.watermark ?? Number.NEGATIVE_INFINITY;
    Object.assign(this.c, snapshot.counts, { pending });
    // Bounds as in memory, should they have been lowered since.
    while (this.entries.size > this.options.maxPending) this.evictOldest();
    while (this.held.size > this.maxHeld) {
      this.held.delete(this.held.keys().next().value as string);
      this.c.unmatched++;
    }
  }

  private settle(entry: Entry<P>, labelMs: number, label: string): LabelOutcome<P> {
    if (labelMs - entry.ms > this.options.ttlMs) {
      this.c.late++;
      return { status: 'late' };
    }
    const prediction = entry.payload as P;
    entry.payload = null;
    entry.labelled = true;
    this.c.pending--;
    this.c.joined++;
    return { status: 'joined', prediction, predictionMs: entry.ms, label };
  }

  private duplicate(): LabelOutcome<P> {
    this.c.duplicateLabels++;
    return { status: 'duplicate' };
  }

  private evictOldest(): void {
    const [id, e] = this.entries.entries().next().value as [string, Entry<P>];
    this.entries.delete(id);
    if (!e.labelled) {
      this.c.pending--;
      this.c.evicted++;
    }
  }
}
