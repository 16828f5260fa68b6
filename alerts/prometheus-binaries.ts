import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../monitor/config/package-root.js';

/**
 * Where promtool and the prometheus server are: PROMETHEUS_BIN_DIR, or
 * .tools/prometheus/usr/bin where `.ci/install-prometheus` unpacks Debian's
 * package. Throws with the command to run when they are missing, so a test
 * that needs them fails with a reason rather than skipping silently.
 */
export function prometheusBinaries(env: NodeJS.ProcessEnv = process.env): {
  promtool: string;
  prometheus: string;
} {
  const dir = env.PROMETHEUS_BIN_DIR ?? join(packageRoot(), '.tools', 'prometheus', 'usr', 'bin');
  const promtool = join(dir, 'promtool');
  const prometheus = join(dir, 'prometheus');
  if (!existsSync(promtool) || !existsSync(prometheus)) {
    throw new Error(`promtool and prometheus not found in ${dir}: run .ci/install-prometheus first`);
  }
  return { promtool, prometheus };
}
