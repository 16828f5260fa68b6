#!/usr/bin/env node
// First: tracing (when OTEL_* asks for it) must start before fastify and pg load.
import { tracing } from '../telemetry/register-tracing.js';
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// A reader that goes away (earshot generate | head) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// exitCode rather than exit(): output still being written to a pipe is not cut off.
process.exitCode = await runCli(process.argv.slice(2), processIo());
// Spans still buffered go out before the process ends (serve has stopped its server by now).
await tracing?.shutdown();
