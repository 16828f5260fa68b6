import closeWithGrace from 'close-with-grace';
import type { Logger } from '../logger.js';

/** Time a shutdown may take before the process is ended anyway. */
export const SHUTDOWN_DELAY_MS = 10_000;

/**
 * On SIGINT/SIGTERM (or an uncaught error, or `close()`), runs `shutdown`
 * once and exits: 0 after a clean stop, 1 after an error or when the
 * shutdown takes longer than SHUTDOWN_DELAY_MS. A second signal exits at once.
 */
export function onShutdown(logger: Logger, shutdown: (reason: string) => Promise<void>): { close(): void } {
  const handle = closeWithGrace(
    {
      delay: SHUTDOWN_DELAY_MS,
      logger: {
        error: (msg: unknown) =>
          msg instanceof Error ? logger.error({ err: msg }, 'shutdown failed') : logger.error(String(msg)),
      },
    },
    async ({ signal, err, manual }) => {
      if (err) logger.error({ err }, 'stopping after an unexpected error');
      await shutdown(signal ?? (manual ? 'done' : err ? 'error' : 'exit'));
    },
  );
  return { close: () => handle.close() };
}
