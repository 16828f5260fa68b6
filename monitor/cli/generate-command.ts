import { FAULT_KINDS, type FaultKind, parseFaultSpec, writeNdjson } from '../generator/generator.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { plural } from './format.js';
import { intOption, numberOption, parseOptions } from './parse-options.js';

export const GENERATE_HELP = `Usage: earshot generate --count N [options]

Writes N synthetic conversation events as NDJSON to stdout, with faults
injected at the rates given. The same seed and options give the same events
(pass --start too, or timestamps follow the clock).

Options:
  --count N                 events to write (required)
  --seed S                  random seed (default 42)
  --fault KIND=RATE         chance per event of a fault, 0..1; repeat for more
                            kinds, or all=RATE for every kind. Kinds:
                            ${FAULT_KINDS.join(', ')}
  --users N                 size of the user population (default 1000)
  --start TIME              occurred_at of the first event, RFC 3339 (default now)
  --events-per-second N     spacing of occurred_at in event time (default 50)
  --stats                   print how many events carry each fault to stderr
  -h, --help                show this help

Example:
  earshot generate --count 10000 --fault all=0.01 > traffic.ndjson
  earshot check traffic.ndjson

Exit codes: 0 written, 2 usage error.
`;

function faultRates(specs: string[]): Partial<Record<FaultKind, number>> {
  const rates: Partial<Record<FaultKind, number>> = {};
  for (const spec of specs) {
    try {
      Object.assign(rates, parseFaultSpec(spec));
    } catch (err) {
      throw new UsageError(`--fault: ${(err as Error).message}`);
    }
  }
  return rates;
}

/** `earshot generate`. Returns the exit code. */
export async function runGenerate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      count: { type: 'string' },
      seed: { type: 'string' },
      fault: { type: 'string', multiple: true },
      users: { type: 'string' },
      start: { type: 'string' },
      'events-per-second': { type: 'string' },
      stats: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(GENERATE_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const count = intOption(values.count, 'count');
  if (count === undefined) throw new UsageError('--count is required');
  let start: Date | undefined;
  if (values.start !== undefined) {
    start = new Date(values.start);
    if (Number.isNaN(start.getTime()))
      throw new UsageError(`--start must be an RFC 3339 time, got "${values.start}"`);
  }
  const summary = await writeNdjson(
    {
      count,
      seed: intOption(values.seed, 'seed') ?? 42,
      users: intOption(values.users, 'users', 1),
      faults: faultRates(values.fault ?? []),
      start,
      eventsPerSecond: numberOption(values['events-per-second'], 'events-per-second'),
    },
    io.stdout,
  );
  if (values.stats) {
    const faulty = Object.entries(summary.faults).filter(([, n]) => n > 0);
    io.stderr.write(`generated ${plural(summary.count, 'event')}\n`);
    for (const [kind, n] of faulty) io.stderr.write(`  ${kind.padEnd(20)} ${n}\n`);
  }
  return EXIT_OK;
}
