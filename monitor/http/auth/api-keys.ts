import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from './roles.js';

/** An API key as configuration holds it: its name, the SHA-256 of the key (never the key) and its roles. */
export interface ApiKeyEntry {
  name: string;
  hash: string;
  roles: Role[];
}

const PREFIX = 'sha256:';

/** The stored form of a key: `sha256:` and the hex digest. Keys are random, so a plain hash is enough. */
export function hashKey(key: string): string {
  return PREFIX + createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key (32 bytes, base64url), prefixed so it is recognisable in a secret scanner. */
export function generateKey(): string {
  return `esk_${randomBytes(32).toString('base64url')}`;
}

/**
 * The configured keys. A presented key is hashed and compared with every
 * stored hash in constant time, all of them each time, so neither the
 * comparison nor the position of the match tells an attacker anything.
 */
export class KeyRing {
  private readonly entries: Array<{ entry: ApiKeyEntry; digest: Buffer }>;

  constructor(entries: readonly ApiKeyEntry[]) {
    this.entries = entries.map((entry) => ({
      entry,
      digest: Buffer.from(entry.hash.slice(PREFIX.length), 'hex'),
    }));
  }

  get size(): number {
    return this.entries.length;
  }

  find(key: string): ApiKeyEntry | null {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: ApiKeyEntry | null = null;
    for (const e of this.entries) {
      if (e.digest.length === digest.length && timingSafeEqual(e.digest, digest) && found === null)
        found = e.entry;
    }
    return found;
  }
}

/** The key a request presents: `Authorization: Bearer <key>` or `X-Api-Key: <key>`; null for none. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1]!;
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : null;
}
