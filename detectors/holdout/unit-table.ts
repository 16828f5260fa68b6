import { b64, OutcomeLog, unb64 } from './outcome-log.js';

/** A slot's state byte: 0 free, 1 + arm index for an exposed unit, or one of these. */
const FREE = 0;
const DELETED = 253;
const PENDING = 254;
const CROSSED = 255;
const MAX_ARMS = 16;
const MAX_LOAD = 0.75;
/** A slot: int32 hi, lo, head; the state byte at 12; float64 exposedAt at 16. */
const SLOT_BYTES = 24;
const SLOT_INTS = SLOT_BYTES / 4;
const SLOT_DOUBLES = SLOT_BYTES / 8;
const STATE_BYTE = 12;

export type ExposeResult = 'new' | 'repeat' | 'crossover' | 'crossed';
export type OutcomeResult = 'added' | 'pending' | 'duplicate' | 'excluded' | 'late' | 'early' | 'capped';

/**
 * Outcome entries one unit keeps at most. A shared unit id ("anonymous",
 * "0") would otherwise collect every outcome of the experiment, each new
 * one walking all the others for duplicates.
 */
export const MAX_OUTCOMES_PER_UNIT = 64;

export interface UnitTableOptions {
  arms: number;
  /** Covariates (CUPED) kept per unit, one per metric that has one. */
  covariates: number;
  /** An outcome counts when it falls in [first exposure, first exposure + attributionMs) by event time. */
  attributionMs: number;
  /**
   * Outcomes up to this much event time before a unit's first exposure are
   * kept, since an earlier exposure may still arrive and move the window.
   */
  lateExposureMs: number;
}

/**
 * The units of one experiment: for each, its arm (fixed by its first
 * exposure), the event time of that exposure, its CUPED covariates and its
 * outcomes. Open addressing over columns of typed arrays keyed by the unit's
 * 64-bit hash (unit-key-hash.ts), 24 bytes a slot plus 32 an outcome,
 * so a million units fit in well under 200 bytes each and no unit is an
 * object the garbage collector has to visit. Every operation on one event
 * is O(1) plus the unit's own outcomes, whatever the number of units.
 *
 * A unit seen in two arms is marked crossed: its outcomes are dropped and it
 * is left out of the statistics for good. A unit with outcomes but no
 * exposure yet is pending, for `sweep` to drop when no exposure came in time.
 */
export class UnitTable {
  /**
   * The slots, interleaved in one buffer of SLOT_BYTES each: the key's hash
   * (two int32), the head of the unit's outcomes (int32), the state byte and
   * the first exposure's event time (float64). Reading a unit touches one
   * cache line rather than one per column: with a million units the lines
   * are cold, and each miss was most of an event's cost.
   */
  private i32!: Int32Array;
  private u8!: Uint8Array;
  private f64!: Float64Array;
  private cov: Float64Array;
  private log: OutcomeLog;
  private mask: number;
  private tombstones = 0;
  readonly armUnits: number[];
  crossed = 0;
  pending = 0;

  constructor(
    private readonly options: UnitTableOptions,
    capacity = 1024,
  ) {
    if (options.arms > MAX_ARMS) throw new RangeError(`at most ${MAX_ARMS} arms`);
    this.armUnits = new Array<number>(options.arms).fill(0);
    let slots = 16;
    while (slots < capacity) slots *= 2;
    this.mask = slots - 1;
    this.allocate(slots);
    this.cov = new Float64Array(slots * options.covariates);
    this.log = new OutcomeLog();
  }

  /** Units in the table: exposed, crossed and pending. */
  get size(): number {
    return this.armUnits.reduce((a, b) => a + b, 0) + this.crossed + this.pending;
  }

  get byteLength(): number {
    const slots = this.mask + 1;
    return slots * (SLOT_BYTES + 8 * this.options.covariates) + this.log.byteLength;
  }

  /** Outcome entries held (live and garbage). */
  get outcomeEntries(): number {
    return this.log.length;
  }

  /**
   * An exposure of the unit to `arm` at `atMs`. The earliest exposure by
   * event time is the first, whatever order they arrive in; its covariates
   * are the unit's (`covariates` null: keep what the unit has).
   */
  expose(
    hi: number,
    lo: number,
    arm: number,
    atMs: number,
    covariates: ArrayLike<number> | null,
  ): ExposeResult {
    let slot = this.find(hi, lo);
    if (slot < 0) {
      slot = this.insert(hi, lo);
      this.u8[slot * SLOT_BYTES + STATE_BYTE] = arm + 1;
      this.f64[slot * SLOT_DOUBLES + 2] = atMs;
      this.i32[slot * SLOT_INTS + 2] = -1;
      this.setCovariates(slot, covariates);
      this.armUnits[arm]!++;
      return 'new';
    }
    const state = this.u8[slot * SLOT_BYTES + STATE_BYTE]!;
    if (state === CROSSED) return 'crossed';
    if (state === PENDING) {
      this.u8[slot * SLOT_BYTES + STATE_BYTE] = arm + 1;
      this.f64[slot * SLOT_DOUBLES + 2] = atMs;
      this.setCovariates(slot, covariates);
      this.pending--;
      this.armUnits[arm]!++;
      return 'new';
    }
    if (state === arm + 1) {
      if (atMs < this.f64[slot * SLOT_DOUBLES + 2]!) {
        this.f64[slot * SLOT_DOUBLES + 2] = atMs;
        if (covariates) this.setCovariates(slot, covariates);
      }
      return 'repeat';
    }
    this.armUnits[state - 1]!--;
    this.crossed++;
    this.u8[slot * SLOT_BYTES + STATE_BYTE] = CROSSED;
    this.log.release(this.i32[slot * SLOT_INTS + 2]!);
    this.i32[slot * SLOT_INTS + 2] = -1;
    return 'crossover';
  }

  /** An outcome of the unit for metric `metric`; `eventHash` makes a repeated event count once. */
  addOutcome(
    hi: number,
    lo: number,
    metric: number,
    atMs: number,
    value: number,
    eventHash: number,
  ): OutcomeResult {
    let slot = this.find(hi, lo);
    if (slot < 0) {
      slot = this.insert(hi, lo);
      this.u8[slot * SLOT_BYTES + STATE_BYTE] = PENDING;
      this.f64[slot * SLOT_DOUBLES + 2] = Number.NaN;
      this.i32[slot * SLOT_INTS + 2] = this.log.push(-1, metric, atMs, value, eventHash);
      this.setCovariates(slot, null);
      this.pending++;
      return 'pending';
    }
    const state = this.u8[slot * SLOT_BYTES + STATE_BYTE]!;
    if (state === CROSSED) return 'excluded';
    if (state !== PENDING) {
      const exposedAt = this.f64[slot * SLOT_DOUBLES + 2]!;
      if (atMs >= exposedAt + this.options.attributionMs) return 'late';
      if (atMs < exposedAt - this.options.lateExposureMs) return 'early';
    }
    const head = this.i32[slot * SLOT_INTS + 2]!;
    const length = this.log.lengthUnless(head, metric, eventHash);
    if (length < 0) return 'duplicate';
    if (length >= MAX_OUTCOMES_PER_UNIT) return 'capped';
    this.i32[slot * SLOT_INTS + 2] = this.log.push(head, metric, atMs, value, eventHash);
    return state === PENDING ? 'pending' : 'added';
  }

  /**
   * Drops the pending units whose latest outcome is older than `cutoffMs`
   * (no exposure came for them in time) and returns how many outcome entries
   * went with them. Rebuilds the table when removals left it mostly garbage.
   */
  sweep(cutoffMs: number): number {
    let dropped = 0;
    if (this.pending > 0) {
      for (let slot = 0; slot <= this.mask; slot++) {
        if (this.u8[slot * SLOT_BYTES + STATE_BYTE] !== PENDING) continue;
        if (this.log.latest(this.i32[slot * SLOT_INTS + 2]!) >= cutoffMs) continue;
        dropped += this.log.release(this.i32[slot * SLOT_INTS + 2]!);
        this.u8[slot * SLOT_BYTES + STATE_BYTE] = DELETED;
        this.pending--;
        this.tombstones++;
      }
    }
    if (this.tombstones > (this.mask + 1) / 8 || this.log.garbage > Math.max(1024, this.log.length / 2)) {
      this.rebuild(this.mask + 1);
    }
    return dropped;
  }

  /**
   * Visits every unit counted in the statistics (exposed, not crossed) with
   * its arm, its value per metric over its attribution window (binary: 1
   * when any outcome fell in it; continuous: the sum) and its covariates.
   * `values` and `covariates` are reused between calls.
   */
  scan(
    binary: readonly boolean[],
    visit: (arm: number, values: Float64Array, covariates: Float64Array) => void,
  ): void {
    const values = new Float64Array(binary.length);
    const k = this.options.covariates;
    const covariates = new Float64Array(k);
    const window = this.options.attributionMs;
    const log = this.log;
    for (let slot = 0; slot <= this.mask; slot++) {
      const state = this.u8[slot * SLOT_BYTES + STATE_BYTE]!;
      if (state === FREE || state > MAX_ARMS) continue;
      values.fill(0);
      const from = this.f64[slot * SLOT_DOUBLES + 2]!;
      const to = from + window;
      for (let i = this.i32[slot * SLOT_INTS + 2]!; i >= 0; i = log.nextOf(i)) {
        const t = log.atOf(i);
        if (t < from || t >= to) continue;
        const m = log.metricOf(i);
        if (binary[m]) values[m] = 1;
        else values[m]! += log.amountOf(i);
      }
      for (let c = 0; c < k; c++) covariates[c] = this.cov[slot * k + c]!;
      visit(state - 1, values, covariates);
    }
  }

  private allocate(slots: number): void {
    const buffer = new ArrayBuffer(slots * SLOT_BYTES);
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  private setCovariates(slot: number, covariates: ArrayLike<number> | null): void {
    const k = this.options.covariates;
    for (let c = 0; c < k; c++) {
      const v = covariates?.[c];
      // A unit without a covariate value counts as 0, the usual CUPED fill.
      this.cov[slot * k + c] = v !== undefined && Number.isFinite(v) ? v : 0;
    }
  }

  private find(hi: number, lo: number): number {
    for (let slot = lo & this.mask; ; slot = (slot + 1) & this.mask) {
      const state = this.u8[slot * SLOT_BYTES + STATE_BYTE]!;
      if (state === FREE) return -1;
      if (state !== DELETED && this.i32[slot * SLOT_INTS + 1] === lo && this.i32[slot * SLOT_INTS] === hi)
        return slot;
    }
  }

  /** A free slot for a key not in the table, growing it first when too full. */
  private insert(hi: number, lo: number): number {
    if (this.size + this.tombstones + 1 > (this.mask + 1) * MAX_LOAD) {
      const live = this.size + 1;
      let slots = this.mask + 1;
      while (live > slots * MAX_LOAD * 0.75) slots *= 2;
      this.rebuild(slots);
    }
    let slot = lo & this.mask;
    while (this.u8[slot * SLOT_BYTES + STATE_BYTE] !== FREE) slot = (slot + 1) & this.mask;
    this.i32[slot * SLOT_INTS] = hi;
    this.i32[slot * SLOT_INTS + 1] = lo;
    return slot;
  }

  /** Rehashes the live units into `slots` slots and copies their outcomes into a fresh log. */
  private rebuild(slots: number): void {
    const old = {
      i32: this.i32,
      u8: this.u8,
      f64: this.f64,
      cov: this.cov,
      log: this.log,
      slots: this.mask + 1,
    };
    const k = this.options.covariates;
    this.mask = slots - 1;
    this.allocate(slots);
    this.cov = new Float64Array(slots * k);
    this.log = new OutcomeLog(Math.max(1024, old.log.length - old.log.garbage));
    this.tombstones = 0;
    for (let from = 0; from < old.slots; from++) {
      const state = old.u8[from * SLOT_BYTES + STATE_BYTE]!;
      if (state === FREE || state === DELETED) continue;
      const lo = old.i32[from * SLOT_INTS + 1]!;
      let slot = lo & this.mask;
      while (this.u8[slot * SLOT_BYTES + STATE_BYTE] !== FREE) slot = (slot + 1) & this.mask;
      this.i32[slot * SLOT_INTS] = old.i32[from * SLOT_INTS]!;
      this.i32[slot * SLOT_INTS + 1] = lo;
      this.u8[slot * SLOT_BYTES + STATE_BYTE] = state;
      this.f64[slot * SLOT_DOUBLES + 2] = old.f64[from * SLOT_DOUBLES + 2]!;
      this.i32[slot * SLOT_INTS + 2] = old.log.copyList(old.i32[from * SLOT_INTS + 2]!, this.log);
      for (let c = 0; c < k; c++) this.cov[slot * k + c] = old.cov[from * k + c]!;
    }
  }

  /**
   * Plain JSON of the live units (keys are hashes only) and their outcomes,
   * for a snapshot: free slots and garbage entries are left out, so a
   * million units of a few outcomes each take about 30 bytes a unit in
   * base64 rather than the whole table's.
   */
  toJSON(): UnitTableJson {
    const k = this.options.covariates;
    const live: number[] = [];
    for (let slot = 0; slot <= this.mask; slot++) {
      const state = this.u8[slot * SLOT_BYTES + STATE_BYTE]!;
      if (state !== FREE && state !== DELETED) live.push(slot);
    }
    const n = live.length;
    const hi = new Int32Array(n);
    const lo = new Int32Array(n);
    const state = new Uint8Array(n);
    const exposedAt = new Float64Array(n);
    const cov = new Float64Array(n * k);
    const counts = new Int32Array(n);
    const entries: number[] = [];
    for (const [u, slot] of live.entries()) {
      hi[u] = this.i32[slot * SLOT_INTS]!;
      lo[u] = this.i32[slot * SLOT_INTS + 1]!;
      state[u] = this.u8[slot * SLOT_BYTES + STATE_BYTE]!;
      exposedAt[u] = this.f64[slot * SLOT_DOUBLES + 2]!;
      for (let c = 0; c < k; c++) cov[u * k + c] = this.cov[slot * k + c]!;
      // Oldest first, so pushing them back in order rebuilds the same list.
      const list = this.log.entries(this.i32[slot * SLOT_INTS + 2]!);
      counts[u] = list.length;
      for (const i of list) entries.push(i);
    }
    const m = entries.length;
    const at = new Float64Array(m);
    const value = new Float64Array(m);
    const eventHash = new Int32Array(m);
    const metric = new Uint8Array(m);
    for (const [j, i] of entries.entries()) {
      at[j] = this.log.atOf(i);
      value[j] = this.log.amountOf(i);
      eventHash[j] = this.log.hashOf(i);
      metric[j] = this.log.metricOf(i);
    }
    return {
      units: n,
      hi: b64(hi),
      lo: b64(lo),
      state: b64(state),
      exposedAt: b64(exposedAt),
      cov: b64(cov),
      counts: b64(counts),
      outcomes: { at: b64(at), value: b64(value), eventHash: b64(eventHash), metric: b64(metric) },
    };
  }

  /**
   * A table from `toJSON`'s output. Every column is checked against the
   * others and these options (`metrics`: how many the owner has), and a
   * RangeError names the first that does not fit, so a damaged or foreign
   * snapshot is refused rather than read as units.
   */
  static fromJSON(
    options: UnitTableOptions,
    json: UnitTableJson,
    metrics = 255,
    /** The arm index today of each arm index in the snapshot (identity by default). */
    armMap: readonly number[] | null = null,
  ): UnitTable {
    const k = options.covariates;
    const n = json.units;
    if (!Number.isInteger(n) || n < 0) throw new RangeError('snapshot: bad unit count');
    const hi = new Int32Array(unb64(json.hi));
    const lo = new Int32Array(unb64(json.lo));
    const state = new Uint8Array(unb64(json.state));
    const exposedAt = new Float64Array(unb64(json.exposedAt));
    const cov = new Float64Array(unb64(json.cov));
    const counts = new Int32Array(unb64(json.counts));
    if ([hi, lo, state, exposedAt, counts].some((c) => c.length !== n) || cov.length !== n * k) {
      throw new RangeError('snapshot: unit columns do not match the unit count or the covariates');
    }
    const at = new Float64Array(unb64(json.outcomes.at));
    const value = new Float64Array(unb64(json.outcomes.value));
    const eventHash = new Int32Array(unb64(json.outcomes.eventHash));
    const metric = new Uint8Array(unb64(json.outcomes.metric));
    const m = at.length;
    if (value.length !== m || eventHash.length !== m || metric.length !== m) {
      throw new RangeError('snapshot: outcome columns differ in length');
    }
    if (counts.reduce((a, b) => a + b, 0) !== m || counts.some((c) => c < 0)) {
      throw new RangeError('snapshot: outcome counts do not add up');
    }
    if (metric.some((x) => x >= metrics)) {
      throw new RangeError('snapshot: an outcome names a metric there is not');
    }
    if (!at.every(Number.isFinite) || !value.every(Number.isFinite) || !cov.every(Number.isFinite)) {
      throw new RangeError('snapshot: a time, value or covariate is not a finite number');
    }
    const table = new UnitTable(options, Math.ceil(n / (MAX_LOAD * 0.75)) + 16);
    let next = 0;
    for (let u = 0; u < n; u++) {
      const saved = state[u]!;
      const arm = saved >= 1 && saved <= options.arms ? (armMap?.[saved - 1] ?? saved - 1) : -1;
      if (arm < 0 && saved !== PENDING && saved !== CROSSED) {
        throw new RangeError(`snapshot: unit ${u} has state ${saved}`);
      }
      const s = arm >= 0 ? arm + 1 : saved;
      if (arm >= 0 && !Number.isFinite(exposedAt[u]!)) {
        throw new RangeError(`snapshot: unit ${u} has no exposure time`);
      }
      if (table.find(hi[u]!, lo[u]!) >= 0) throw new RangeError(`snapshot: unit ${u} is there twice`);
      const slot = table.insert(hi[u]!, lo[u]!);
      table.u8[slot * SLOT_BYTES + STATE_BYTE] = s;
      table.f64[slot * SLOT_DOUBLES + 2] = exposedAt[u]!;
      for (let c = 0; c < k; c++) table.cov[slot * k + c] = cov[u * k + c]!;
      let head = -1;
      for (let j = 0; j < counts[u]!; j++, next++) {
        head = table.log.push(head, metric[next]!, at[next]!, value[next]!, eventHash[next]!);
      }
      table.i32[slot * SLOT_INTS + 2] = head;
      if (arm >= 0) table.armUnits[arm]!++;
      else if (s === PENDING) table.pending++;
      else table.crossed++;
    }
    return table;
  }
}

export interface UnitTableJson {
  units: number;
  hi: string;
  lo: string;
  state: string;
  exposedAt: string;
  cov: string;
  /** Outcome entries per unit; the outcome columns hold them unit after unit, oldest first. */
  counts: string;
  outcomes: { at: string; value: string; eventHash: string; metric: string };
}
