import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { buildDetectors } from '../../detectors/build-detectors.js';
import { setHashSalt } from '../findings/safe-token.js';
import { type BatchItem, parseLine } from '../pipeline/parse-body.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { ContractError } from '../registry/contract-error.js';
import { loadRegistry } from '../registry/load-registry.js';
import { checkJson, formatCheckText } from './check-report.js';
import { CheckTally } from './check-tally.js';
import { loadCliConfig } from './cli-config.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';
import { ProgressBar } from './progress-bar.js';

export const CHECK_HELP = `Usage: earshot check FILE|- [options]

Checks NDJSON events (one JSON object per line; - reads stdin) against the
contracts, through the same pipeline as the service, without a store. Windowed
detectors are evaluated once at the end, at the latest event time seen.

Options:
  --format text|json   text (default): counts by outcome, violations grouped by
                       contract, kind and attribute with example event ids and
                       line numbers, warnings summarised. json: totals, counts
                       by kind, groups and every finding with its line.
  --redact OUT         also write every accepted event, its PII redacted, as
                       NDJSON to OUT (- for stdout; the report then goes to
                       stderr). Lines that are not events are left out.
  --contracts DIR      contracts folder (default: contracts.dir from
                       EARSHOT_CONFIG, EARSHOT_CONTRACTS_DIR, else the shipped ones)
  -h, --help           show this help

A progress bar is drawn on stderr when it is a terminal.

Exit codes: 0 no violation, 1 at least one finding of severity error or
critical, 2 usage error, unreadable input or bad configuration.
`;

/** Lines handed to the pipeline at once: large enough to amortise per-batch work, small enough to stream. */
const CHUNK_LINES = 500;

const FORMATS = ['text', 'json'] as const;

interface Input {
  stream: NodeJS.ReadableStream;
  source: string;
  totalBytes?: number;
  bytesRead: () => number;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? (err as Error).message;
}

async function openInput(file: string, io: CliIo): Promise<Input> {
  if (file === '-') {
    if ((io.stdin as { isTTY?: boolean }).isTTY)
      io.stderr.write('reading events from stdin (Ctrl-D to end)\n');
    return { stream: io.stdin, source: 'stdin', bytesRead: () => 0 };
  }
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new UsageError(`cannot read ${file}: not a file`);
    size = s.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${file}: ${reason(err)}`);
  }
  const stream = createReadStream(file);
  return { stream, source: file, totalBytes: size, bytesRead: () => stream.bytesRead };
}

/** Where `--redact` writes: stdout for -, else a new file (created or truncated). */
async function openRedactOutput(target: string, io: CliIo): Promise<NodeJS.WritableStream> {
  if (target === '') throw new UsageError('--redact needs a file (or - for stdout)');
  if (target === '-') return io.stdout;
  const out = createWriteStream(target);
  try {
    await once(out, 'open');
  } catch (err) {
    throw new UsageError(`cannot write ${target}: ${reason(err)}`);
  }
  return out;
}

async function closeStream(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

/** Builds the pipeline `check` runs: the configured registry and detectors, no store. */
async function buildCheckPipeline(contractsDir: string, config: Awaited<ReturnType<typeof loadCliConfig>>) {
  let registry: Awaited<ReturnType<typeof loadRegistry>>;
  try {
    registry = await loadRegistry(contractsDir);
  } catch (err) {
    const why = err instanceof ContractError ? err.message : reason(err);
    throw new UsageError(`cannot load contracts from ${contractsDir}: ${why}`);
  }
  const detectors = buildDetectors(config);
  return new Pipeline({
    registry,
    detectors: detectors.all,
    redactor: detectors.redactor,
    piiAnalyzer: detectors.analyzer,
    envelope: config.envelope,
    limits: config.limits,
  });
}

/**
 * Streams the input through the pipeline in chunks, tallying each event's
 * outcome and findings with its line number.
 */
async function checkLines(
  input: Input,
  pipeline: Pipeline,
  tally: CheckTally,
  progress: ProgressBar | null,
  redactTo: NodeJS.WritableStream | null,
): Promise<void> {
  let items: BatchItem[] = [];
  let lines: number[] = [];
  const flush = async () => {
    await pipeline.prepare(items);
    const { results, redacted } = pipeline.processBatch(items, {
      source: 'file',
      mode: redactTo ? 'redact' : 'observe',
    });
    for (let i = 0; i < results.length; i++) {
      tally.addEvent(results[i]!.status, results[i]!.findings, lines[i]!);
    }
    items = [];
    lines = [];
    progress?.update(tally.events, input.bytesRead());
    if (redactTo && redacted) {
      let out = '';
      for (const e of redacted) if (e) out += `${JSON.stringify(e)}\n`;
      if (out && !redactTo.write(out)) await once(redactTo, 'drain');
    }
  };
  const reader = createInterface({ input: input.stream, crlfDelay: Number.POSITIVE_INFINITY })[
    Symbol.asyncIterator
  ]();
  let lineNo = 0;
  for (;;) {
    let next: IteratorResult<string>;
    // Only reading is an input error (exit 2); a failure in the pipeline is a bug and propagates as such.
    try {
      next = await reader.next();
    } catch (err) {
      throw new UsageError(`cannot read ${input.source}: ${reason(err)}`);
    }
    if (next.done) break;
    lineNo++;
    const text = next.value.trim();
    if (text === '') continue;
    items.push(parseLine(text, lineNo));
    lines.push(lineNo);
    if (items.length >= CHUNK_LINES) await flush();
  }
  if (items.length > 0) await flush();
}

/** `earshot check FILE|-`. Returns the exit code. */
export async function runCheck(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      format: { type: 'string', default: 'text' },
      contracts: { type: 'string' },
      redact: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return EXIT_OK;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be text or json, got "${values.format}"`);
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'check needs a FILE (or - for stdin)' : 'check takes one FILE (or -)',
    );
  }

  const config = await loadCliConfig(io.env, { contractsDir: values.contracts });
  if (config.privacy.hashSalt) setHashSalt(config.privacy.hashSalt);
  const pipeline = await buildCheckPipeline(config.contracts.dir, config);
  const input = await openInput(positionals[0]!, io);

  const redactTo = values.redact === undefined ? null : await openRedactOutput(values.redact, io);
  const report = redactTo === io.stdout ? io.stderr : io.stdout;

  const tally = new CheckTally({ keepFindings: format === 'json' });
  const progress = io.stderr.isTTY ? new ProgressBar(io.stderr, { totalBytes: input.totalBytes }) : null;
  await pipeline.start();
  try {
    await checkLines(input, pipeline, tally, progress, redactTo);
    // Windows close at the latest event time, so a historical file is judged by its own clock.
    tally.addWindowed(pipeline.evaluate(pipeline.latestEventTime() ?? new Date()));
  } finally {
    progress?.clear();
    await pipeline.stop();
    if (redactTo && redactTo !== io.stdout) await closeStream(redactTo as WriteStream);
  }

  report.write(
    format === 'json'
      ? `${JSON.stringify(checkJson(tally, input.source))}\n`
      : formatCheckText(tally, input.source),
  );
  return tally.failed ? EXIT_FAILED : EXIT_OK;
}
