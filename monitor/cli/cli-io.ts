/** What a command reads and writes; the real process by default, fakes in tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Exit codes, the same for every command (listed in `earshot --help`). */
export const EXIT_OK = 0;
/** check: an event violates its contract; contracts check: a contract is broken. */
export const EXIT_FAILED = 1;
/** Bad arguments, unreadable input or configuration. */
export const EXIT_USAGE = 2;

/** A mistake in how the command was called or configured: exit 2 with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
