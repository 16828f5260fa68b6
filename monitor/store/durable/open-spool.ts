import { join } from 'node:path';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../logger.js';
import { Spool } from './spool.js';

/** The spool directory the configuration names, or null when there is none (disabled, or an in-memory store without one). */
export function spoolDir(store: Config['store']): string | null {
  if (!store.spool.enabled) return null;
  if (store.spool.dir) return store.spool.dir;
  // An in-memory store keeps nothing across a restart; a spool beside it would outlive what it belongs to.
  if (store.dataDir.startsWith('memory://')) return null;
  return join(store.dataDir, 'spool');
}

export async function openSpool(store: Config['store'], logger: Logger): Promise<Spool | null> {
  const dir = spoolDir(store);
  if (dir === null) return null;
  const spool = await Spool.open(dir, {
    maxBytes: store.spool.maxBytes,
    onDamage: ({ offset, movedTo }) =>
      logger.error({ offset, movedTo }, 'the spool was damaged from this byte on; that part was moved aside'),
  });
  const { units, bytes } = spool.stats();
  if (units > 0) logger.warn({ units, bytes }, 'units left in the spool by an earlier run will be replayed');
  return spool;
}
