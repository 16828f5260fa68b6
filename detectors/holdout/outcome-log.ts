/**
 * The outcomes of an experiment's units, in columns of typed arrays: one
 * entry per (outcome event, metric), linked to the unit's previous entry.
 * An entry is 25 bytes and no object, so a million units with their
 * outcomes stay a few typed arrays the garbage collector never walks.
 * Entries of removed units are left in place and counted as garbage until
 * the owner copies the live lists into a fresh log (`compactInto`).
 */
export class OutcomeLog {
  next: Int32Array;
  at: Float64Array;
  value: Float64Array;
  eventHash: Int32Array;
  metric: Uint8Array;
  length = 0;
  garbage = 0;

  constructor(capacity = 1024) {
    this.next = new Int32Array(capacity);
    this.at = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
    this.eventHash = new Int32Array(capacity);
    this.metric = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.next.length;
  }

  get byteLength(): number {
    return this.capacity * 25;
  }

  /** Appends an entry after `head` (the unit's newest entry, -1 for none) and returns its index, the unit's new head. */
  push(head: number, metric: number, atMs: number, value: number, eventHash: number): number {
    if (this.length === this.capacity) this.grow(this.capacity * 2);
    const i = this.length++;
    this.next[i] = head;
    this.at[i] = atMs;
    this.value[i] = value;
    this.eventHash[i] = eventHash;
    this.metric[i] = metric;
    return i;
  }

  /** True when the list from `head` already holds this event for this metric. */
  has(head: number, metric: number, eventHash: number): boolean {
    return this.lengthUnless(head, metric, eventHash) < 0;
  }

  /** The length of the list from `head`, or -1 when it already holds this event for this metric. */
  lengthUnless(head: number, metric: number, eventHash: number): number {
    let n = 0;
    for (let i = head; i >= 0; i = this.next[i]!) {
      if (this.eventHash[i] === eventHash && this.metric[i] === metric) return -1;
      n++;
    }
    return n;
  }

  /** The latest event time in the list from `head` (-Infinity when empty). */
  latest(head: number): number {
    let latest = Number.NEGATIVE_INFINITY;
    for (let i = head; i >= 0; i = this.next[i]!) if (this.at[i]! > latest) latest = this.at[i]!;
    return latest;
  }

  /** Entries in the list from `head`, now garbage. */
  release(head: number): number {
    let n = 0;
    for (let i = head; i >= 0; i = this.next[i]!) n++;
    this.garbage += n;
    return n;
  }

  /** Copies the list from `head` into `target` in the same order and returns its head there. */
  copyList(head: number, target: OutcomeLog): number {
    if (head < 0) return -1;
    const items: number[] = [];
    for (let i = head; i >= 0; i = this.next[i]!) items.push(i);
    let newHead = -1;
    for (let k = items.length - 1; k >= 0; k--) {
      const i = items[k]!;
      newHead = target.push(newHead, this.metric[i]!, this.at[i]!, this.value[i]!, this.eventHash[i]!);
    }
    return newHead;
  }

  private grow(capacity: number): void {
    const grown = (old: Int32Array | Float64Array | Uint8Array) => {
      const arr = new (old.constructor as new (n: number) => typeof old)(capacity);
      arr.set(old as never);
      return arr;
    };
    this.next = grown(this.next) as Int32Array;
    this.at = grown(this.at) as Float64Array;
    this.value = grown(this.value) as Float64Array;
    this.eventHash = grown(this.eventHash) as Int32Array;
    this.metric = grown(this.metric) as Uint8Array;
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
