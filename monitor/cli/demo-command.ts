import { FAULT_KINDS, type FaultKind, TrafficGenerator } from '../generator/generator.js';
import { createLogger } from '../logger.js';
import { loadCliConfig } from './cli-config.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { demoExperiment } from './demo-experiment.js';
import { demoKeys } from './demo-keys.js';
import { readTotals } from './demo-snapshot.js';
import { DemoTraffic } from './demo-traffic.js';
import { onShutdown } from './graceful-shutdown.js';
import { LiveSummary } from './live-summary.js';
import { intOption, numberOption, parseOptions } from './parse-options.js';
import { RateMeter } from './rate-meter.js';
import { SERVER_OPTIONS } from './serve-command.js';
import { startServer } from './start-server.js';

/** Chance per event of each fault kind: about a quarter of the traffic carries one fault. */
export const DEMO_FAULT_RATE = 0.02;
export const DEMO_RATE = 1000;

export const DEMO_HELP = `Usage: earshot demo [options]

Runs the service (as earshot serve) and feeds it synthetic conversation
traffic through the real pipeline, with faults injected (${DEMO_FAULT_RATE * 100}% of events
for each of: ${FAULT_KINDS.join(', ')}).
A live summary shows events per second, outcomes, findings by kind, the
store queue and the URLs to try (redrawn in place on a terminal, one line
every few seconds otherwise). Findings are stored as with serve: in
store.dataDir (EARSHOT_DATA_DIR, default .earshot-data) or DATABASE_URL.

Options:
  --rate N            events per second (default ${DEMO_RATE})
  --seed S            random seed of the traffic (default 42)
  --duration SECONDS  stop by itself after this long (default: until Ctrl-C)
  --host HOST         address to listen on (default server.host, 0.0.0.0)
  --port PORT         port to listen on, 0 for any free one (default server.port, 8080)
  -h, --help          show this help

Logs go to stderr at level warn unless EARSHOT_LOG_LEVEL says otherwise.

Exit codes: 0 stopped cleanly, 1 shutdown failed or timed out, 2 usage
error, bad configuration, or the server could not start.
`;

/** `earshot demo`. Resolves once stopped (by Ctrl-C, SIGTERM or --duration). */
export async function runDemo(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      ...SERVER_OPTIONS,
      rate: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(DEMO_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const rate = numberOption(values.rate, 'rate') ?? DEMO_RATE;
  const seed = intOption(values.seed, 'seed') ?? 42;
  const duration = numberOption(values.duration, 'duration');
  const config = await loadCliConfig(io.env, { host: values.host, port: intOption(values.port, 'port') });
  if (config.experiments.length === 0) config.experiments.push(demoExperiment());
  let made: ReturnType<typeof demoKeys> | null = null;
  if (!config.auth.enabled) {
    made = demoKeys(config.auth);
    config.auth = made.auth;
  }

  // The terminal belongs to the summary: logs go to stderr, quiet unless asked.
  const logger = createLogger(io.env.EARSHOT_LOG_LEVEL ?? 'warn', io.stderr);
  const running = await startServer(config, { logger });
  const { app } = running;
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, DEMO_FAULT_RATE])) as Record<
    FaultKind,
    number
  >;
  const generator = new TrafficGenerator({ seed, faults, start: new Date(), eventsPerSecond: rate });
  const traffic = new DemoTraffic(app.pipeline, generator, { rate, logger });

  const started = performance.now();
  const meter = new RateMeter(5000);
  meter.record(0);
  const summary = new LiveSummary(
    io.stdout,
    async () => {
      const totals = await readTotals(app);
      meter.record(totals.events);
      return {
        ...totals,
        uptimeSeconds: (performance.now() - started) / 1000,
        eventsPerSecond: meter.perSecond(),
        targetRate: rate,
        seed,
        queueDepth: app.writer.queueDepth(),
        dropped: app.writer.dropped(),
        apiUrl: running.url,
        metricsUrl: `${running.url}/metrics`,
        ...(made ? { keys: made.keys } : {}),
      };
    },
    { tty: io.stdout.isTTY === true },
  );
  if (!io.stdout.isTTY) {
    io.stdout.write(
      `earshot demo on ${running.url} (metrics: ${running.url}/metrics)\n${made?.banner ?? ''}`,
    );
  }
  traffic.start();
  summary.start();

  return new Promise<number>((resolve) => {
    const shutdown = onShutdown(logger, async () => {
      traffic.stop();
      // The app's final evaluation and store flush come before the last summary, so it shows them.
      try {
        await running.close();
      } finally {
        await summary.stop();
      }
      resolve(EXIT_OK);
    });
    if (duration !== undefined) setTimeout(() => shutdown.close(), duration * 1000);
  });
}
