import { resolve } from 'node:path';
import { type Config, ConfigError, loadConfig } from '../config/config.js';
import { UsageError } from './cli-io.js';

export interface ConfigOverrides {
  contractsDir?: string;
  host?: string;
  port?: number;
}

/**
 * The configuration a command runs with: EARSHOT_CONFIG and the environment
 * (see monitor/config), then the command's own options. A bad config is a
 * usage error (exit 2) naming the key.
 */
export async function loadCliConfig(
  env: NodeJS.ProcessEnv,
  overrides: ConfigOverrides = {},
): Promise<Config> {
  let config: Config;
  try {
    config = await loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  if (overrides.contractsDir !== undefined) config.contracts.dir = resolve(overrides.contractsDir);
  if (overrides.host !== undefined) config.server.host = overrides.host;
  if (overrides.port !== undefined) {
    if (overrides.port > 65535) throw new UsageError(`--port must be at most 65535, got ${overrides.port}`);
    config.server.port = overrides.port;
  }
  return config;
}
