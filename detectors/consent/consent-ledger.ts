import type { ConsentRecord } from './consent-record.js';
import { GPC_NONE, GPC_TRUE, LedgerEntries, recordIdHash } from './ledger-entries.js';
import { RecentUsers } from './recent-users.js';
import { UserTable } from './user-table.js';

/** Where the ledger keeps records durably: the store, or nothing (a batch check of one file). */
export interface LedgerBacking {
  /** Every record of these users, any order. */
  load(userIds: readonly string[]): Promise<ConsentRecord[]>;
  /** Records new to the ledger; the backing ignores ids it already holds. */
  save(records: readonly ConsentRecord[]): Promise<void>;
}

/** A user's flags, kept on the user's newest entry. */
const USED = 1;
const LOADED = 2;
/** The users map's value for a user with no records (loaded from the backing, or erased): unread, read. */
const EMPTY = -1;
const EMPTY_USED = -2;
const NO_PINS: ReadonlySet<string> = new Set();

/** Users per generation of the recent-users map: a few thousand conversations under way at once. */
const RECENT_USERS = 4096;
/** A user met through a new record, whose records in the backing are not loaded yet (never left in the map). */
const NOT_LOADED = -3;

export interface LedgerStats {
  /** Records added through record() (not those loaded from the backing). */
  recorded: number;
  hits: number;
  misses: number;
  users: number;
  pending: number;
}

/**
 * The consent ledger as the hot path reads it: per user the records newest
 * first (compact entries, see LedgerEntries), so the state at an event's
 * time is the first entry at or before it (usually the newest) and a short
 * walk back to each purpose's record. Users stay in memory up to
 * `maxUsers`, evicted by CLOCK (a user read since the last sweep gets a
 * second chance), which costs a reader one flag instead of reordering a
 * million-entry map; `prefetch` loads a batch's users from the backing before
 * the batch is checked, so checking never waits on the database. New records
 * apply at once and are written to the backing in batches (`flush`).
 *
 * Lifecycle: `flush()` is safe any time and twice; nothing else holds resources.
 */
export class ConsentLedger {
  readonly entries = new LedgerEntries();
  /** User id to the user's newest entry, or EMPTY / EMPTY_USED. */
  private readonly users = new UserTable();
  /** The CLOCK hand: the slot eviction looks at next. */
  private hand = 0;
  /** Users eviction passes over: the batch a prefetch is loading users for. */
  private pinned: ReadonlySet<string> = NO_PINS;
  private readonly recent = new RecentUsers(RECENT_USERS);
  private pending: ConsentRecord[] = [];
  /**
   * Records taken for writing and not confirmed stored (in a unit under way,
   * held, or in the spool), by user and record id: a user reloaded from the
   * store meanwhile gets them too, or a spooled withdrawal would be missed.
   * By user, so a reload looks up its users rather than scanning an outage's
   * worth of records.
   */
  private readonly unstored = new Map<string, Map<string, ConsentRecord>>();
  private hits = 0;
  private misses = 0;
  private recorded = 0;

  constructor(
    private readonly maxUsers: number,
    private readonly backing: LedgerBacking | null = null,
  ) {}

  /** Loads the users the cache lacks from the backing, in one query. */
  async prefetch(userIds: Iterable<string>): Promise<void> {
    if (this.backing === null) return;
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const id of userIds) {
      if (seen.has(id)) continue;
      seen.add(id);
      if (this.isLoaded(id)) this.hits++;
      else {
        this.misses++;
        missing.push(id);
      }
    }
    if (missing.length === 0) return;
    const records = await this.backing.load(missing);
    // The batch's users are pinned while its missing ones come in: making room must not evict a user
    // the batch is about to be checked against (one it held already, or one loaded a moment ago).
    this.pinned = seen;
    try {
      this.admit(missing, records);
    } finally {
      this.pinned = NO_PINS;
    }
  }

  /** Adds the users a prefetch loaded, with their records and any of theirs not written yet. */
  private admit(missing: readonly string[], records: readonly ConsentRecord[]): void {
    // Loaded users are marked so, and one with no record is not asked for again.
    for (const id of missing) {
      const head = this.users.get(id);
      // Marked read: the batch that asked for the user reads it next, so the hand must not take it first.
      if (head === undefined) this.addUser(id, EMPTY_USED);
      else if (head >= 0) this.entries.setFlags(head, this.entries.flags(head) | LOADED);
    }
    for (const r of records) this.apply(r);
    // Records not written yet belong to users that may have been evicted since.
    if (this.unstored.size > 0) {
      for (const id of missing) for (const r of this.unstored.get(id)?.values() ?? []) this.apply(r);
    }
    if (this.pending.length > 0) {
      const loaded = new Set(missing);
      for (const r of this.pending) if (loaded.has(r.user_id)) this.apply(r);
    }
  }

  /** Adds a record (from a consent event or an import); false when the ledger already holds its id. */
  record(r: ConsentRecord): boolean {
    if (!this.apply(r)) return false;
    this.recorded++;
    if (this.backing !== null) this.pending.push(r);
    return true;
  }

  /**
   * The user's entry in force at `ms` (the latest at or before it; its
   * predecessors through entries.prev), or -1 when there is none. Marks the
   * user read. The hot path reads this once per event and judges every
   * purpose from it.
   */
  entryAt(userId: string, ms: number): number {
    let head = this.recent.get(userId);
    if (head === undefined) {
      head = this.users.get(userId);
      if (head === undefined) return -1;
      this.recent.add(userId, head);
    }
    if (head < 0) {
      if (head === EMPTY) this.setHead(userId, EMPTY_USED);
      return -1;
    }
    const entries = this.entries;
    entries.setFlags(head, entries.flags(head) | USED);
    let e = head;
    while (e !== -1 && entries.ms(e) > ms) e = entries.prev(e);
    return e;
  }

  /** The user's entry for `purpose` in force at `ms`, or -1. */
  purposeEntryAt(userId: string, purpose: string, ms: number): number {
    const entries = this.entries;
    const id = entries.purposes.id(purpose);
    let e = this.entryAt(userId, ms);
    while (e !== -1 && entries.purposeId(e) !== id) e = entries.prev(e);
    return e;
  }

  /** The record in force for the user and purpose at `ms`: the latest at or before it. */
  at(userId: string, purpose: string, ms: number): ConsentRecord | null {
    const e = this.purposeEntryAt(userId, purpose, ms);
    return e === -1 ? null : this.entries.toRecord(e, userId);
  }

  /** The user's Global Privacy Control signal at `ms`: the latest record that carried one. */
  gpcAt(userId: string, ms: number): boolean {
    const entries = this.entries;
    for (let e = this.entryAt(userId, ms); e !== -1; e = entries.prev(e)) {
      const gpc = entries.gpc(e);
      if (gpc !== GPC_NONE) return gpc === GPC_TRUE;
    }
    return false;
  }

  /** The region of the user's latest record that names one at or before `ms`. */
  regionAt(userId: string, ms: number): string | null {
    const entries = this.entries;
    for (let e = this.entryAt(userId, ms); e !== -1; e = entries.prev(e)) {
      const region = entries.region(e);
      if (region !== null) return region;
    }
    return null;
  }

  /** Every record of the user in memory, oldest first. */
  timeline(userId: string): ConsentRecord[] {
    const out: ConsentRecord[] = [];
    const entries = this.entries;
    for (let e = this.users.get(userId) ?? -1; e >= 0; e = entries.prev(e))
      out.push(entries.toRecord(e, userId));
    return out.reverse();
  }

  /** Drops the user from memory (an erasure); pending writes of the user are dropped too. */
  forget(userId: string): void {
    this.release(this.users.get(userId) ?? -1);
    this.users.delete(userId);
    this.recent.delete(userId);
    this.pending = this.pending.filter((r) => r.user_id !== userId);
    this.unstored.delete(userId);
  }

  /** Writes pending records to the backing; on failure they stay pending and the error is thrown. */
  async flush(): Promise<void> {
    if (this.backing === null || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await this.backing.save(batch);
    } catch (err) {
      this.pending = batch.concat(this.pending);
      throw err;
    }
  }

  /** The pending records, for a write unit; they count as unstored until confirmStored names them. */
  takePending(): ConsentRecord[] {
    const batch = this.pending;
    this.pending = [];
    this.addUnstored(batch);
    return batch;
  }

  /** Records a spool holds from an earlier run: applied to their users when those are loaded. */
  addUnstored(records: readonly ConsentRecord[]): void {
    for (const r of records) {
      let of = this.unstored.get(r.user_id);
      if (!of) {
        of = new Map();
        this.unstored.set(r.user_id, of);
      }
      of.set(r.record_id, r);
    }
  }

  /** The store has these records now: a reload finds them there. */
  confirmStored(records: readonly ConsentRecord[]): void {
    for (const r of records) {
      const of = this.unstored.get(r.user_id);
      if (!of) continue;
      of.delete(r.record_id);
      if (of.size === 0) this.unstored.delete(r.user_id);
    }
  }

  stats(): LedgerStats {
    return {
      recorded: this.recorded,
      hits: this.hits,
      misses: this.misses,
      users: this.users.size,
      pending: this.pending.length,
    };
  }

  private isLoaded(userId: string): boolean {
    const head = this.users.get(userId);
    if (head === undefined) return false;
    return head < 0 || (this.entries.flags(head) & LOADED) !== 0;
  }

  /**
   * Links the record into its user's entries by event time (a late record
   * lands where its time puts it; one as old as another counts as newer).
   */
  private apply(r: ConsentRecord): boolean {
    const entries = this.entries;
    let head = this.users.get(r.user_id);
    if (head === undefined) {
      // Without a backing, memory is all there is: every user is loaded.
      head = this.addUser(r.user_id, this.backing === null ? EMPTY : NOT_LOADED);
    }
    // Users hold a handful of records: a walk finds a duplicate id without a set per user.
    const idHash = recordIdHash(r.record_id);
    for (let x = head; x >= 0; x = entries.prev(x))
      if (entries.hasRecordId(x, r.record_id, idHash)) return false;
    const e = entries.add(r);
    if (head < 0 || entries.ms(head) <= r.occurred_ms) {
      // A user's first record counts as a read, so the CLOCK hand passes the new user once before evicting it.
      const flags = head >= 0 ? entries.flags(head) : head === NOT_LOADED ? USED : LOADED | USED;
      entries.setPrev(e, head < 0 ? -1 : head);
      entries.setFlags(e, flags);
      this.setHead(r.user_id, e);
      return true;
    }
    let after = head;
    for (let p = entries.prev(after); p !== -1 && entries.ms(p) > r.occurred_ms; p = entries.prev(after))
      after = p;
    entries.setPrev(e, entries.prev(after));
    entries.setPrev(after, e);
    return true;
  }

  /** A user's new value, in the users map and wherever it is remembered. */
  private setHead(userId: string, value: number): void {
    this.users.set(userId, value);
    this.recent.update(userId, value);
  }

  private release(head: number): void {
    for (let e = head; e >= 0; ) {
      const prev = this.entries.prev(e);
      this.entries.release(e);
      e = prev;
    }
  }

  /** A new user, holding `value`; at `maxUsers`, one user is evicted first. */
  private addUser(userId: string, value: number): number {
    while (this.users.size >= this.maxUsers) this.evictOne();
    this.users.set(userId, value);
    return value;
  }

  /**
   * CLOCK eviction: the hand moves over the users' slots; a user read since
   * the hand last passed gets a second chance (its bit is cleared), the
   * first one not read goes.
   */
  private evictOne(): void {
    const users = this.users;
    const pinned = this.pinned;
    // Pins hold only while another user can go: a batch larger than the cache evicts its own users.
    let passes = pinned.size > 0 ? 2 * users.slots : 0;
    for (;;) {
      const slot = users.nextSlot(this.hand);
      const head = users.valueAt(slot);
      this.hand = slot + 1;
      if (passes > 0 && pinned.has(users.keyAt(slot))) {
        passes--;
        continue;
      }
      if (head === EMPTY_USED) {
        users.setValueAt(slot, EMPTY);
        this.recent.update(users.keyAt(slot), EMPTY);
        continue;
      }
      if (head >= 0 && (this.entries.flags(head) & USED) !== 0) {
        this.entries.setFlags(head, this.entries.flags(head) & ~USED);
        continue;
      }
      this.release(head);
      this.recent.delete(users.keyAt(slot));
      users.removeAt(slot);
      // The removal may have moved the next user of the probe run into this slot.
      this.hand = slot;
      return;
    }
  }
}
