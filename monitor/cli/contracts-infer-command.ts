import { runInfer } from '../infer/infer-command.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';

export const CONTRACTS_INFER_HELP = `Usage: earshot contracts infer FILE|- [--out DIR] [--name NAME] [--version V]

Drafts one contract per event type from sample NDJSON traffic (- reads
stdin): schema, enums, formats, personal-data hints and completeness
minimums, with status draft for a person to review.

Options:
  --out DIR       write DIR/<event_type>/<version>.yaml (never overwrites);
                  default: print the YAML to stdout
  --name NAME     contract name for events without an event type
  --version V     version of the drafts (default 0.1.0)
  -h, --help      show this help

Exit codes: 0 drafted, 2 usage error, missing input, no usable event, or a
draft would overwrite an existing file.
`;

/** `earshot contracts infer`. Returns the exit code. */
export async function runContractsInfer(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      out: { type: 'string' },
      name: { type: 'string' },
      version: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(CONTRACTS_INFER_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'contracts infer needs a FILE (or - for stdin)'
        : 'contracts infer takes one FILE',
    );
  }
  return runInfer(
    { file: positionals[0]!, out: values.out, name: values.name, version: values.version },
    { stdout: io.stdout, stderr: io.stderr, stdin: io.stdin },
  );
}
