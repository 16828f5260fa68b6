/**
 * The users read lately, in front of the ledger's users map. A conversation's
 * events share one user and arrive close together, so most reads are of a
 * few thousand users; a map that size stays in the CPU cache, where a read
 * of the million-user map costs several cache misses. Two generations make
 * it an approximate LRU without bookkeeping per read: when the young one
 * fills, it becomes the old one, and what is read from the old is moved
 * back to the young. Holds copies of the users map's values: the owner
 * passes every change through update() and delete().
 */
export class RecentUsers {
  private young = new Map<string, number>();
  private old = new Map<string, number>();

  constructor(private readonly generation: number) {}

  get(userId: string): number | undefined {
    const v = this.young.get(userId);
    if (v !== undefined) return v;
    const o = this.old.get(userId);
    if (o !== undefined) this.add(userId, o);
    return o;
  }

  /** Remembers a user just read from the users map. */
  add(userId: string, value: number): void {
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(userId, value);
  }

  /** A user's value changed: kept in step where it is remembered. */
  update(userId: string, value: number): void {
    if (this.young.has(userId)) this.young.set(userId, value);
    if (this.old.has(userId)) this.old.set(userId, value);
  }

  delete(userId: string): void {
    this.young.delete(userId);
    this.old.delete(userId);
  }
}
