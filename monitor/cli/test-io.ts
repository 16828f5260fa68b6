import { Readable, Writable } from 'node:stream';
import type { CliIo } from './cli-io.js';

/** A CliIo for tests: collects what a command writes, feeds it stdin from a string. */
export interface TestIo extends CliIo {
  out(): string;
  err(): string;
}

function collector(tty: boolean): Writable & { text(): string; isTTY?: boolean; columns?: number } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { text(): string; isTTY?: boolean; columns?: number };
  stream.text = () => chunks.join('');
  if (tty) {
    stream.isTTY = true;
    stream.columns = 100;
  }
  return stream;
}

export function testIo(opts: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): TestIo {
  const stdout = collector(opts.tty ?? false);
  const stderr = collector(opts.tty ?? false);
  return {
    stdout,
    stderr,
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    env: opts.env ?? {},
    out: () => stdout.text(),
    err: () => stderr.text(),
  };
}
