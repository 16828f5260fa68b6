import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding earshot's package.json, found by walking up from this
 * module; the same answer whether running from the TypeScript sources or
 * from dist/.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'contracts'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('earshot package root not found');
    dir = up;
  }
}
