import { loadCliConfig } from './cli-config.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { onShutdown, SHUTDOWN_DELAY_MS } from './graceful-shutdown.js';
import { intOption, parseOptions } from './parse-options.js';
import { startServer } from './start-server.js';

export const SERVE_HELP = `Usage: earshot serve [--host HOST] [--port PORT]

Runs the HTTP API: POST /v1/events, /v1/contracts, /v1/findings, /metrics,
/healthz and /readyz. Findings go to PostgreSQL when DATABASE_URL is set,
otherwise to an embedded database in store.dataDir (EARSHOT_DATA_DIR).

Options:
  --host HOST    address to listen on (default server.host, EARSHOT_HOST, 0.0.0.0)
  --port PORT    port to listen on, 0 for any free one (default server.port,
                 EARSHOT_PORT, 8080)
  -h, --help     show this help

On SIGINT or SIGTERM it stops taking requests, drains those in flight,
evaluates the windows once more and flushes the store; after ${SHUTDOWN_DELAY_MS / 1000} s it exits anyway.

Exit codes: 0 stopped cleanly, 1 shutdown failed or timed out, 2 usage
error, bad configuration, or the server could not start.
`;

export const SERVER_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `earshot serve`. Resolves once the server is stopped (the process then exits). */
export async function runServe(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, SERVER_OPTIONS, true);
  if (values.help) {
    io.stdout.write(SERVE_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = await loadCliConfig(io.env, { host: values.host, port: intOption(values.port, 'port') });
  const running = await startServer(config);
  const { logger } = running.app;
  logger.info({ url: running.url }, `earshot listening on ${running.url}`);
  return new Promise<number>((resolve) => {
    onShutdown(logger, async (reason) => {
      logger.info({ reason }, 'shutting down');
      await running.close();
      resolve(EXIT_OK);
    });
  });
}
