/** An entry: int32 next and event hash, the metric in an int32, float64 event time and value. */
const ENTRY_BYTES = 32;
const ENTRY_INTS = ENTRY_BYTES / 4;
const ENTRY_DOUBLES = ENTRY_BYTES / 8;

/**
 * The outcomes of an experiment's units: one entry per (outcome event,
 * metric), linked to the unit's previous entry, 32 bytes each in one typed
 * buffer. An entry is no object, so a million units with their outcomes
 * stay a buffer the garbage collector never walks, and each entry is one
 * cache line at most, which a walk down a cold unit's list pays for once
 * rather than once per column.
 * Entries of removed units are left in place and counted as garbage until
 * the owner copies the live lists into a fresh log (`copyList`).
 */
export class OutcomeLog {
  private i32: Int32Array;
  private f64: Float64Array;
  length = 0;
  garbage = 0;

  constructor(capacity = 1024) {
    const buffer = new ArrayBuffer(capacity * ENTRY_BYTES);
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  get capacity(): number {
    return this.i32.length / ENTRY_INTS;
  }

  get byteLength(): number {
    return this.i32.byteLength;
  }

  /** The entry after `i` in its unit's list (older), or -1. */
  nextOf(i: number): number {
    return this.i32[i * ENTRY_INTS]!;
  }

  hashOf(i: number): number {
    return this.i32[i * ENTRY_INTS + 1]!;
  }

  metricOf(i: number): number {
    return this.i32[i * ENTRY_INTS + 2]!;
  }

  atOf(i: number): number {
    return this.f64[i * ENTRY_DOUBLES + 2]!;
  }

  /** The outcome's value (1 for a binary metric). */
  amountOf(i: number): number {
    return this.f64[i * ENTRY_DOUBLES + 3]!;
  }

  /** Appends an entry after `head` (the unit's newest entry, -1 for none) and returns its index, the unit's new head. */
  push(head: number, metric: number, atMs: number, value: number, eventHash: number): number {
    if (this.length === this.capacity) this.grow(this.capacity * 2);
    const i = this.length++;
    const w = i * ENTRY_INTS;
    this.i32[w] = head;
    this.i32[w + 1] = eventHash;
    this.i32[w + 2] = metric;
    this.f64[i * ENTRY_DOUBLES + 2] = atMs;
    this.f64[i * ENTRY_DOUBLES + 3] = value;
    return i;
  }

  /** True when the list from `head` already holds this event for this metric. */
  has(head: number, metric: number, eventHash: number): boolean {
    return this.lengthUnless(head, metric, eventHash) < 0;
  }

  /** The length of the list from `head`, or -1 when it already holds this event for this metric. */
  lengthUnless(head: number, metric: number, eventHash: number): number {
    let n = 0;
    for (let i = head; i >= 0; i = this.nextOf(i)) {
      if (this.hashOf(i) === eventHash && this.metricOf(i) === metric) return -1;
      n++;
    }
    return n;
  }

  /** The latest event time in the list from `head` (-Infinity when empty). */
  latest(head: number): number {
    let latest = Number.NEGATIVE_INFINITY;
    for (let i = head; i >= 0; i = this.nextOf(i)) latest = Math.max(latest, this.atOf(i));
    return latest;
  }

  /** Entries in the list from `head`, now garbage. */
  release(head: number): number {
    let n = 0;
    for (let i = head; i >= 0; i = this.nextOf(i)) n++;
    this.garbage += n;
    return n;
  }

  /** The entries of the list from `head`, oldest first. */
  entries(head: number): number[] {
    const items: number[] = [];
    for (let i = head; i >= 0; i = this.nextOf(i)) items.push(i);
    return items.reverse();
  }

  /** Copies the list from `head` into `target` in the same order and returns its head there. */
  copyList(head: number, target: OutcomeLog): number {
    let newHead = -1;
    for (const i of this.entries(head)) {
      newHead = target.push(newHead, this.metricOf(i), this.atOf(i), this.amountOf(i), this.hashOf(i));
    }
    return newHead;
  }

  private grow(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * ENTRY_BYTES);
    new Uint8Array(buffer).set(new Uint8Array(this.i32.buffer));
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }
}

/** A typed array's bytes as base64 (the store keeps JSON). */
export function b64(arr: ArrayBufferView): string {
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString('base64');
}

/** The bytes of b64's output in a fresh, aligned buffer. */
export function unb64(text: string): ArrayBuffer {
  const buf = Buffer.from(text, 'base64');
  const out = new ArrayBuffer(buf.length);
  new Uint8Array(out).set(buf);
  return out;
}
