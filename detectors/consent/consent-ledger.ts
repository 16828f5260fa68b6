import type { ConsentRecord } from './consent-record.js';

/** Where the ledger keeps records durably: the store, or nothing (a batch check of one file). */
export interface LedgerBacking {
  /** Every record of these users, any order. */
  load(userIds: readonly string[]): Promise<ConsentRecord[]>;
  /** Records new to the ledger; the backing ignores ids it already holds. */
  save(records: readonly ConsentRecord[]): Promise<void>;
}

/**
 * One user's records, all purposes in one list ordered by event time: users
 * hold a handful, and one short list costs far less memory than an index
 * per purpose (a million users stay in memory). `used` is the CLOCK bit of
 * the eviction (see entry()).
 */
interface UserConsent {
  records: ConsentRecord[];
  used: boolean;
  /** The backing's records were loaded (or there is no backing): prefetch need not ask for this user. */
  loaded: boolean;
}

export interface LedgerStats {
  /** Records added through record() (not those loaded from the backing). */
  recorded: number;
  hits: number;
  misses: number;
  users: number;
  pending: number;
}

/** The index of the last record at or before `ms` in a list ordered by occurred_ms, or -1. */
export function lastAtOrBefore(list: readonly ConsentRecord[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.occurred_ms <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Inserts keeping event-time order; a late record lands where its time puts it. */
function insertByTime(list: ConsentRecord[], r: ConsentRecord): void {
  let at = list.length;
  while (at > 0 && list[at - 1]!.occurred_ms > r.occurred_ms) at--;
  list.splice(at, 0, r);
}

/**
 * The consent ledger as the hot path reads it: per user the records by
 * event time, so the state at any event's time is a binary search and a
 * short walk back to the purpose's last record. Users stay in memory up to
 * `maxUsers`, evicted by CLOCK (a user read since the last sweep gets a
 * second chance), which costs a reader one flag instead of reordering a
 * million-entry map; `prefetch` loads a batch's users from the backing before
 * the batch is checked, so checking never waits on the database. New records
 * apply at once and are written to the backing in batches (`flush`).
 *
 * Lifecycle: `flush()` is safe any time and twice; nothing else holds resources.
 */
export class ConsentLedger {
  private readonly users = new Map<string, UserConsent>();
  private pending: ConsentRecord[] = [];
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
      if (this.users.get(id)?.loaded) this.hits++;
      else {
        this.misses++;
        missing.push(id);
      }
    }
    if (missing.length === 0) return;
    const records = await this.backing.load(missing);
    // Loaded users are marked so, and one with no record is not asked for again.
    for (const id of missing) (this.users.get(id) ?? this.entry(id)).loaded = true;
    for (const r of records) this.apply(r);
    // Records not written yet belong to users that may have been evicted since.
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
   * The user's records by event time (marked used), or null when the ledger
   * holds none: the hot path reads the list once per event and judges every
   * purpose from it.
   */
  recordsOf(userId: string): readonly ConsentRecord[] | null {
    const u = this.users.get(userId);
    if (!u) return null;
    u.used = true;
    return u.records;
  }

  /** The record in force for the user and purpose at `ms`: the latest at or before it. */
  at(userId: string, purpose: string, ms: number): ConsentRecord | null {
    const u = this.users.get(userId);
    if (!u) return null;
    u.used = true;
    const list = u.records;
    for (let i = lastAtOrBefore(list, ms); i >= 0; i--) if (list[i]!.purpose === purpose) return list[i]!;
    return null;
  }

  /** The user's Global Privacy Control signal at `ms`: the latest record that carried one. */
  gpcAt(userId: string, ms: number): boolean {
    const u = this.users.get(userId);
    if (!u) return false;
    const list = u.records;
    for (let i = lastAtOrBefore(list, ms); i >= 0; i--) {
      const gpc = list[i]!.gpc;
      if (gpc !== null) return gpc;
    }
    return false;
  }

  /** The region of the user's latest record that names one at or before `ms`. */
  regionAt(userId: string, ms: number): string | null {
    const u = this.users.get(userId);
    if (!u) return null;
    const list = u.records;
    for (let i = lastAtOrBefore(list, ms); i >= 0; i--) {
      const region = list[i]!.region;
      if (region !== null) return region;
    }
    return null;
  }

  /** Every record of the user in memory, by event time. */
  timeline(userId: string): ConsentRecord[] {
    const u = this.users.get(userId);
    return u ? [...u.records] : [];
  }

  /** Drops the user from memory (an erasure); pending writes of the user are dropped too. */
  forget(userId: string): void {
    this.users.delete(userId);
    this.pending = this.pending.filter((r) => r.user_id !== userId);
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

  stats(): LedgerStats {
    return {
      recorded: this.recorded,
      hits: this.hits,
      misses: this.misses,
      users: this.users.size,
      pending: this.pending.length,
    };
  }

  private apply(r: ConsentRecord): boolean {
    const u = this.users.get(r.user_id) ?? this.entry(r.user_id);
    // Users hold a handful of records: a scan finds a duplicate id without a set per user.
    for (const x of u.records) if (x.record_id === r.record_id) return false;
    insertByTime(u.records, r);
    return true;
  }

  /**
   * A new user's entry. Past `maxUsers`, CLOCK eviction: the map's oldest
   * entry goes unless it was read since it was last passed over, in which
   * case it moves to the back with its bit cleared, and the next is tried.
   */
  private entry(userId: string): UserConsent {
    // Without a backing, memory is all there is: every user is loaded.
    const u: UserConsent = { records: [], used: false, loaded: this.backing === null };
    this.users.set(userId, u);
    while (this.users.size > this.maxUsers) {
      const [oldest, entry] = this.users.entries().next().value as [string, UserConsent];
      this.users.delete(oldest);
      if (oldest === userId) continue;
      if (entry.used) {
        entry.used = false;
        this.users.set(oldest, entry);
      }
    }
    return u;
  }
}
