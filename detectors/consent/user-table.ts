/*
 * A slot is 64 bytes (one cache line) of one buffer: int32s 0-3 hold the
 * key's hash, the value, the key's length plus one (0: the slot is free) and the
 * index of a key kept outside (-1: the key is inline); bytes 16-63 hold the
 * key itself when it is short and one byte a character.
 */
const SLOT_INTS = 16;
const SLOT_BYTES = 64;
const HASH = 0;
const VALUE = 1;
const LENGTH = 2;
const OUTSIDE = 3;
const KEY_OFFSET = 16;
const INLINE_CHARS = SLOT_BYTES - KEY_OFFSET;

/** FNV-1a over the UTF-16 code units, with a final mix so the low bits (the slot) depend on every character. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) | 0;
}

function fitsInline(key: string): boolean {
  if (key.length > INLINE_CHARS) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * A map from strings to int32 values for a million keys, in one typed
 * buffer: open addressing with linear probing, each key in its own cache
 * line with its value, and short keys stored in the line. A JavaScript Map
 * that size reaches a key through a bucket, a chain entry and the key
 * string, each a cache miss (and, with a heap this large, a TLB miss) on a
 * cold read; here a read is one line, and no key is an object the garbage
 * collector has to visit. Removal shifts the probe run back instead of
 * leaving tombstones.
 * Iteration is by slot index (`nextSlot`), for a CLOCK hand.
 */
export class UserTable {
  private i32: Int32Array;
  private u8: Uint8Array;
  private mask: number;
  private count = 0;
  /** Keys that do not fit in a slot, by the index the slot holds; freed indexes are reused. */
  private readonly outside: Array<string | undefined> = [];
  private readonly freeOutside: number[] = [];

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < capacity) slots *= 2;
    this.mask = slots - 1;
    const buffer = new ArrayBuffer(slots * SLOT_BYTES);
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
  }

  get size(): number {
    return this.count;
  }

  /** Slots, free or not: the bound of nextSlot's hand. */
  get slots(): number {
    return this.mask + 1;
  }

  get(key: string): number | undefined {
    const slot = this.find(key, hashOf(key));
    return slot === -1 ? undefined : this.i32[slot * SLOT_INTS + VALUE]!;
  }

  set(key: string, value: number): void {
    const h = hashOf(key);
    const slot = this.find(key, h);
    if (slot !== -1) {
      this.i32[slot * SLOT_INTS + VALUE] = value;
      return;
    }
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.place(key, h, value);
    this.count++;
  }

  delete(key: string): boolean {
    const slot = this.find(key, hashOf(key));
    if (slot === -1) return false;
    this.removeAt(slot);
    return true;
  }

  /** The first used slot at or after `from`, wrapping around; -1 when the table is empty. */
  nextSlot(from: number): number {
    if (this.count === 0) return -1;
    let s = from & this.mask;
    while (this.i32[s * SLOT_INTS + LENGTH] === 0) s = (s + 1) & this.mask;
    return s;
  }

  valueAt(slot: number): number {
    return this.i32[slot * SLOT_INTS + VALUE]!;
  }

  setValueAt(slot: number, value: number): void {
    this.i32[slot * SLOT_INTS + VALUE] = value;
  }

  keyAt(slot: number): string {
    const base = slot * SLOT_INTS;
    const outside = this.i32[base + OUTSIDE]!;
    if (outside !== -1) return this.outside[outside]!;
    const start = slot * SLOT_BYTES + KEY_OFFSET;
    return String.fromCharCode(...this.u8.subarray(start, start + this.i32[base + LENGTH]! - 1));
  }

  /** Frees the slot; a key further along the same probe run may move into it, so a hand re-reads it. */
  removeAt(slot: number): void {
    const i32 = this.i32;
    const outside = i32[slot * SLOT_INTS + OUTSIDE]!;
    if (outside !== -1) {
      this.outside[outside] = undefined;
      this.freeOutside.push(outside);
    }
    this.count--;
    // Backward shift: each key after the hole that would be found through it moves into it.
    let hole = slot;
    let s = slot;
    for (;;) {
      s = (s + 1) & this.mask;
      if (i32[s * SLOT_INTS + LENGTH] === 0) break;
      const home = i32[s * SLOT_INTS + HASH]! & this.mask;
      // The key at s stays when its home lies cyclically in (hole, s].
      const stays = hole <= s ? hole < home && home <= s : hole < home || home <= s;
      if (stays) continue;
      i32.copyWithin(hole * SLOT_INTS, s * SLOT_INTS, (s + 1) * SLOT_INTS);
      hole = s;
    }
    i32[hole * SLOT_INTS + LENGTH] = 0;
  }

  private find(key: string, h: number): number {
    const i32 = this.i32;
    const len = key.length + 1;
    let s = h & this.mask;
    for (;;) {
      const base = s * SLOT_INTS;
      const slotLength = i32[base + LENGTH]!;
      if (slotLength === 0) return -1;
      if (i32[base + HASH] === h && slotLength === len && this.keyEquals(s, key)) return s;
      s = (s + 1) & this.mask;
    }
  }

  private keyEquals(slot: number, key: string): boolean {
    const outside = this.i32[slot * SLOT_INTS + OUTSIDE]!;
    if (outside !== -1) return this.outside[outside] === key;
    const u8 = this.u8;
    const start = slot * SLOT_BYTES + KEY_OFFSET;
    for (let i = 0; i < key.length; i++) if (u8[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** Writes a key known to be absent into the first free slot of its probe run. */
  private place(key: string, h: number, value: number): void {
    let s = h & this.mask;
    while (this.i32[s * SLOT_INTS + LENGTH] !== 0) s = (s + 1) & this.mask;
    const base = s * SLOT_INTS;
    this.i32[base + HASH] = h;
    this.i32[base + VALUE] = value;
    this.i32[base + LENGTH] = key.length + 1;
    if (fitsInline(key)) {
      this.i32[base + OUTSIDE] = -1;
      const start = s * SLOT_BYTES + KEY_OFFSET;
      for (let i = 0; i < key.length; i++) this.u8[start + i] = key.charCodeAt(i);
    } else {
      const index = this.freeOutside.pop() ?? this.outside.length;
      this.outside[index] = key;
      this.i32[base + OUTSIDE] = index;
    }
  }

  /** Twice the slots, every key moved to its place in them (slots are copied whole, keys are not rebuilt). */
  private grow(): void {
    const old = this.i32;
    const oldSlots = this.mask + 1;
    const buffer = new ArrayBuffer(oldSlots * 2 * SLOT_BYTES);
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.mask = oldSlots * 2 - 1;
    for (let s = 0; s < oldSlots; s++) {
      const base = s * SLOT_INTS;
      if (old[base + LENGTH] === 0) continue;
      let t = old[base + HASH]! & this.mask;
      while (this.i32[t * SLOT_INTS + LENGTH] !== 0) t = (t + 1) & this.mask;
      this.i32.set(old.subarray(base, base + SLOT_INTS), t * SLOT_INTS);
    }
  }
}
