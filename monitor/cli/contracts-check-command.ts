import { loadCliConfig } from './cli-config.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, UsageError } from './cli-io.js';
import { checkContractsDir } from './contracts-check.js';
import { formatContractsText } from './contracts-check-report.js';
import { parseOptions } from './parse-options.js';

export const CONTRACTS_CHECK_HELP = `Usage: earshot contracts check [--dir DIR] [--format text|json]

For every contract folder (DIR/<event_type>/<version>.yaml): lints each file
against the contract format (file, JSON pointer and reason for each problem),
compiles its schema, and compares each version with the earlier ones: the
changes per JSON pointer with their backward/forward verdicts, the declared
compatibility mode, and the suggested version bump against the actual one.

Options:
  --dir DIR            contracts folder (default: contracts.dir from
                       EARSHOT_CONFIG, EARSHOT_CONTRACTS_DIR, else the shipped ones)
  --format text|json   report format (default text)
  -h, --help           show this help

Exit codes: 0 every version is valid and keeps its declared compatibility,
1 a file does not parse or compile or a version breaks its declared
compatibility, 2 usage error or unreadable folder.
`;

/** `earshot contracts check`. Returns the exit code. */
export async function runContractsCheck(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      dir: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(CONTRACTS_CHECK_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (use --dir DIR)`);
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, got "${values.format}"`);
  }
  const config = await loadCliConfig(io.env, { contractsDir: values.dir });
  let result: Awaited<ReturnType<typeof checkContractsDir>>;
  try {
    result = await checkContractsDir(config.contracts.dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (code ?? String(err));
    throw new UsageError(`cannot read contracts folder ${config.contracts.dir}: ${why}`);
  }
  io.stdout.write(format(values.format, result));
  return result.ok ? EXIT_OK : EXIT_FAILED;
}

function format(kind: 'text' | 'json', result: Awaited<ReturnType<typeof checkContractsDir>>): string {
  return kind === 'json'
    ? `${JSON.stringify({ passed: result.ok, ...result }, null, 2)}\n`
    : formatContractsText(result);
}
