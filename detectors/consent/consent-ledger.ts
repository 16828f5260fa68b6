import type { ConsentRecord } from './consent-record.js';

/** Where the ledger keeps records durably: the store, or nothing (a batch check of one file). */
export interface LedgerBacking {
  /** Every record of these users, any order. */
  load(userIds: readonly string[]): Promise<ConsentRecord[]>;
  /** Records new to the ledger; the backing ignores ids it already holds. */
  save(records: readonly ConsentRecord[]): Promise<void>;
}

/** One user's records, per purpose ordered by event time, and the GPC signals they carried. */
interface UserConsent {
  byPurpose: Map<string, ConsentRecord[]>;
  /** Records that carried a GPC signal, by event time. */
  gpc: ConsentRecord[];
  ids: Set<string>;
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
function lastAtOrBefore(list: readonly ConsentRecord[], ms: number): number {
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
 * The consent ledger as the hot path reads it: per user and purpose the
 * records by event time, so the state at any event's time is one binary
 * search. Users stay in memory up to `maxUsers`, least recently used
 * evicted first; `prefetch` loads a batch's users from the backing before
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
      if (this.users.has(id)) this.hits++;
      else {
        this.misses++;
        missing.push(id);
      }
    }
    if (missing.length === 0) return;
    const records = await this.backing.load(missing);
    // Loaded users start empty, so a user with no record is not asked for again.
    for (const id of missing) if (!this.users.has(id)) this.entry(id);
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

  /** The record in force for the user and purpose at `ms`: the latest at or before it. */
  at(userId: string, purpose: string, ms: number): ConsentRecord | null {
    const u = this.touch(userId);
    const list = u?.byPurpose.get(purpose);
    if (!list) return null;
    const i = lastAtOrBefore(list, ms);
    return i < 0 ? null : list[i]!;
  }

  /** The user's Global Privacy Control signal at `ms`: the latest record that carried one. */
  gpcAt(userId: string, ms: number): boolean {
    const u = this.users.get(userId);
    if (!u || u.gpc.length === 0) return false;
    const i = lastAtOrBefore(u.gpc, ms);
    return i >= 0 && u.gpc[i]!.gpc === true;
  }

  /** The region of the user's latest record that names one at or before `ms`. */
  regionAt(userId: string, ms: number): string | null {
    const u = this.users.get(userId);
    if (!u) return null;
    let best: ConsentRecord | null = null;
    for (const list of u.byPurpose.values()) {
      const i = lastAtOrBefore(list, ms);
      for (let k = i; k >= 0; k--) {
        const r = list[k]!;
        if (r.region === null) continue;
        if (best === null || r.occurred_ms > best.occurred_ms) best = r;
        break;
      }
    }
    return best?.region ?? null;
  }

  /** Every record of the user in memory, by event time. */
  timeline(userId: string): ConsentRecord[] {
    const u = this.users.get(userId);
    if (!u) return [];
    return [...u.byPurpose.values()].flat().sort((a, b) => a.occurred_ms - b.occurred_ms);
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
    if (u.ids.has(r.record_id)) return false;
    u.ids.add(r.record_id);
    let list = u.byPurpose.get(r.purpose);
    if (!list) {
      list = [];
      u.byPurpose.set(r.purpose, list);
    }
    insertByTime(list, r);
    if (r.gpc !== null) insertByTime(u.gpc, r);
    return true;
  }

  private entry(userId: string): UserConsent {
    const u: UserConsent = { byPurpose: new Map(), gpc: [], ids: new Set() };
    this.users.set(userId, u);
    if (this.users.size > this.maxUsers) {
      // Map keeps insertion order and touch() re-inserts: the first key is the least recently used.
      const oldest = this.users.keys().next().value as string;
      if (oldest !== userId) this.users.delete(oldest);
    }
    return u;
  }

  /** The user's entry, marked most recently used (only when the cache is full enough to evict). */
  private touch(userId: string): UserConsent | undefined {
    const u = this.users.get(userId);
    if (u && this.users.size > this.maxUsers * 0.9) {
      this.users.delete(userId);
      this.users.set(userId, u);
    }
    return u;
  }
}
