import { ALL_FORMATS, type FormatMask, formatMask } from './detect-format.js';

/** Caps that keep an accumulator's memory bounded whatever the traffic looks like. */
export interface StatsLimits {
  /** Distinct string values remembered per position; past it the position cannot be an enum. */
  maxTrackedValues: number;
  /** Longer strings are never remembered (free text is no enum, and need not sit in memory). */
  maxTrackedLength: number;
  /** Keys remembered per object position; past it the object is treated as a map (open content). */
  maxProperties: number;
  /** Deeper values are only counted, and their schema accepts anything. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: StatsLimits = {
  maxTrackedValues: 64,
  maxTrackedLength: 64,
  maxProperties: 1000,
  maxDepth: 32,
};

/**
 * What was seen at one position of the event (an attribute, or the items of
 * an array): counts per JSON type, and just enough more to write a schema.
 * Counts add up, so two accumulators over halves of a file merge into the
 * one a single pass would build.
 */
export class ValueStats {
  /** Values seen here, null included; for a property, the events where the key was present. */
  seen = 0;
  nulls = 0;
  booleans = 0;
  integers = 0;
  /** Numbers with a fractional part. */
  fractions = 0;
  strings = 0;
  arrays = 0;
  objects = 0;
  /** Values below maxDepth: counted only. */
  opaque = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Formats every string so far matched. */
  formats: FormatMask = ALL_FORMATS;
  /** Count per distinct string; null once the cap was passed or a long string was seen. */
  values: Map<string, number> | null = new Map();
  minLength = Number.POSITIVE_INFINITY;
  maxLength = Number.NEGATIVE_INFINITY;
  items: ValueStats | null = null;
  properties: Map<string, ValueStats> | null = null;
  /** More keys than maxProperties were seen: this object is keyed by data, not by a schema. */
  keysOverflow = false;

  observe(value: unknown, limits: StatsLimits, depth = 0): void {
    this.seen++;
    if (depth >= limits.maxDepth) {
      this.opaque++;
      return;
    }
    if (value === null || value === undefined) this.nulls++;
    else if (typeof value === 'boolean') this.booleans++;
    else if (typeof value === 'number') this.observeNumber(value);
    else if (typeof value === 'string') this.observeString(value, limits);
    else if (Array.isArray(value)) this.observeArray(value, limits, depth);
    else if (typeof value === 'object') this.observeObject(value as Record<string, unknown>, limits, depth);
    else this.opaque++;
  }

  private observeNumber(n: number): void {
    if (Number.isInteger(n)) this.integers++;
    else this.fractions++;
    if (n < this.min) this.min = n;
    if (n > this.max) this.max = n;
  }

  private observeString(s: string, limits: StatsLimits): void {
    this.strings++;
    if (this.formats !== 0) this.formats &= formatMask(s, this.formats);
    if (this.values === null) return;
    if (s.length > limits.maxTrackedLength) {
      this.values = null;
      return;
    }
    this.values.set(s, (this.values.get(s) ?? 0) + 1);
    if (this.values.size > limits.maxTrackedValues) this.values = null;
  }

  private observeArray(a: unknown[], limits: StatsLimits, depth: number): void {
    this.arrays++;
    if (a.length < this.minLength) this.minLength = a.length;
    if (a.length > this.maxLength) this.maxLength = a.length;
    if (a.length === 0) return;
    this.items ??= new ValueStats();
    for (const item of a) this.items.observe(item, limits, depth + 1);
  }

  private observeObject(o: Record<string, unknown>, limits: StatsLimits, depth: number): void {
    this.objects++;
    this.properties ??= new Map();
    for (const [key, v] of Object.entries(o)) {
      if (v === undefined) continue;
      let child = this.properties.get(key);
      if (!child) {
        if (this.properties.size >= limits.maxProperties) {
          this.keysOverflow = true;
          continue;
        }
        child = new ValueStats();
        this.properties.set(key, child);
      }
      child.observe(v, limits, depth + 1);
    }
  }

  /** Adds what `other` saw; `other` is left as it was. */
  merge(other: ValueStats, limits: StatsLimits): this {
    this.seen += other.seen;
    this.nulls += other.nulls;
    this.booleans += other.booleans;
    this.integers += other.integers;
    this.fractions += other.fractions;
    this.strings += other.strings;
    this.arrays += other.arrays;
    this.objects += other.objects;
    this.opaque += other.opaque;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.formats &= other.formats;
    this.minLength = Math.min(this.minLength, other.minLength);
    this.maxLength = Math.max(this.maxLength, other.maxLength);
    this.keysOverflow ||= other.keysOverflow;
    if (this.values === null || other.values === null) this.values = null;
    else {
      for (const [s, n] of other.values) this.values.set(s, (this.values.get(s) ?? 0) + n);
      if (this.values.size > limits.maxTrackedValues) this.values = null;
    }
    if (other.items) {
      this.items ??= new ValueStats();
      this.items.merge(other.items, limits);
    }
    if (other.properties) {
      this.properties ??= new Map();
      for (const [key, theirs] of other.properties) {
        let mine = this.properties.get(key);
        if (!mine) {
          if (this.properties.size >= limits.maxProperties) {
            this.keysOverflow = true;
            continue;
          }
          mine = new ValueStats();
          this.properties.set(key, mine);
        }
        mine.merge(theirs, limits);
      }
    }
    return this;
  }

  /** Values seen here that were neither null nor missing. */
  get nonNull(): number {
    return this.seen - this.nulls;
  }
}
