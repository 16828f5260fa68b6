/**
 * A 64-bit hash of a unit key (a user id, most often), as two int32 halves
 * from two independent FNV-1a passes with a final mix each. The unit table
 * keeps only this hash, never the key: a million units cost 8 bytes each
 * rather than a string each, and no raw id is held or snapshotted. Two of a
 * million units share a hash with probability about 3e-8; they would count
 * as one unit.
 */
export function unitKeyHash(key: string): { hi: number; lo: number } {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return { hi: mix(b), lo: mix(a) };
}

/** The mixing step of murmur3's finalizer, so every bit of the key reaches the low bits (the slot). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** A 32-bit hash of an event id: a duplicate outcome is recognised among its unit's outcomes by it. */
export function eventIdHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return mix(h);
}
