import { PACKAGE_VERSION } from '../config/package-version.js';
import { AUDIT_VERIFY_HELP, runAuditVerify } from './audit-verify-command.js';
import { CHECK_HELP, runCheck } from './check-command.js';
import { type CliIo, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io.js';
import { CONSENT_ERASE_HELP, runConsentErase } from './consent-erase-command.js';
import { CONSENT_IMPORT_HELP, runConsentImport } from './consent-import-command.js';
import { CONTRACTS_CHECK_HELP, runContractsCheck } from './contracts-check-command.js';
import { CONTRACTS_INFER_HELP, runContractsInfer } from './contracts-infer-command.js';
import { DEMO_HELP, runDemo } from './demo-command.js';
import { GENERATE_HELP, runGenerate } from './generate-command.js';
import { KEYS_CREATE_HELP, runKeysCreate } from './keys-create-command.js';
import { REPORT_CONSENT_HELP, runReportConsent } from './report-consent-command.js';
import { runServe, SERVE_HELP } from './serve-command.js';

export const MAIN_HELP = `Usage: earshot <command> [options]

Checks conversation events against versioned data contracts and reports
schema drift, missing attributes, PII leaks, consent violations and drift.

Commands:
  serve                  run the HTTP API (/v1/events, /v1/findings, /metrics, ...)
  demo                   serve plus synthetic traffic with injected faults and a live summary
  check FILE|-           check NDJSON events; exit 1 on violations
  contracts check        lint contracts, compile them, check compatibility between versions
  contracts infer FILE   draft a contract from sample NDJSON traffic
  generate --count N     write synthetic NDJSON events (with faults) to stdout
  report consent         the consent compliance report for a period (json, csv, html)
  consent import FILE    import consent records (NDJSON or CSV) into the ledger
  consent erase USER_ID  carry out an erasure request in the store
  audit verify           check the consent audit log's hash chain
  keys create            make an API key with roles; prints it and its hash

Options:
  -h, --help             show help; earshot <command> --help for a command
  -v, --version          print the version

Environment:
  EARSHOT_CONFIG         YAML configuration file
  EARSHOT_HOST, EARSHOT_PORT (or PORT), EARSHOT_CONTRACTS_DIR, EARSHOT_DATA_DIR,
  DATABASE_URL, EARSHOT_LOG_LEVEL, EARSHOT_HASH_SALT override its keys

Exit codes:
  0  success: no violation (check), every contract sound (contracts check),
     clean stop (serve, demo)
  1  check found a violation; contracts check found an invalid or breaking
     version; serve or demo failed to shut down cleanly
  2  usage error, unreadable input, invalid configuration or contracts, or
     the command could not run
`;

type Command = { help: string; run: (args: string[], io: CliIo) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  serve: { help: SERVE_HELP, run: runServe },
  demo: { help: DEMO_HELP, run: runDemo },
  check: { help: CHECK_HELP, run: runCheck },
  generate: { help: GENERATE_HELP, run: runGenerate },
};

const CONTRACTS_HELP = `Usage: earshot contracts <check|infer> [options]

  contracts check [--dir DIR] [--format text|json]
  contracts infer FILE|- [--out DIR] [--name NAME] [--version V]

Run earshot contracts <subcommand> --help for details.
`;

const REPORT_HELP = `Usage: earshot report consent --from TIME --to TIME [--format json|csv|html]

Run earshot report consent --help for details.
`;

const CONSENT_HELP = `Usage: earshot consent <import|erase> [options]

  consent import FILE|- [--format ndjson|csv] [--report text|json]
  consent erase USER_ID

Run earshot consent <subcommand> --help for details.
`;

const AUDIT_HELP = `Usage: earshot audit verify [--format text|json]

Run earshot audit verify --help for details.
`;

/** Commands with subcommands: `earshot <group> <sub> ...`. */
const GROUPS: Record<string, { help: string; commands: Record<string, Command> }> = {
  contracts: {
    help: CONTRACTS_HELP,
    commands: {
      check: { help: CONTRACTS_CHECK_HELP, run: runContractsCheck },
      infer: { help: CONTRACTS_INFER_HELP, run: runContractsInfer },
    },
  },
  report: { help: REPORT_HELP, commands: { consent: { help: REPORT_CONSENT_HELP, run: runReportConsent } } },
  consent: {
    help: CONSENT_HELP,
    commands: {
      import: { help: CONSENT_IMPORT_HELP, run: runConsentImport },
      erase: { help: CONSENT_ERASE_HELP, run: runConsentErase },
    },
  },
  audit: { help: AUDIT_HELP, commands: { verify: { help: AUDIT_VERIFY_HELP, run: runAuditVerify } } },
  keys: {
    help: `Usage: earshot keys create --name NAME --roles ROLE[,ROLE...]\n\nRun earshot keys create --help for details.\n`,
    commands: { create: { help: KEYS_CREATE_HELP, run: runKeysCreate } },
  },
};

/** Finds the command an argv names: ["contracts", "check", ...] -> contracts check. */
function resolve(argv: string[]): { name: string; command: Command; args: string[] } {
  const [first, ...rest] = argv;
  const group = first === undefined ? undefined : GROUPS[first];
  if (group) {
    const [sub, ...args] = rest;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      const run = async (_args: string[], io: CliIo) => {
        (sub === undefined ? io.stderr : io.stdout).write(group.help);
        return sub === undefined ? EXIT_USAGE : EXIT_OK;
      };
      return { name: first!, command: { help: group.help, run }, args: [] };
    }
    const command = group.commands[sub];
    if (!command) {
      const known = Object.keys(group.commands)
        .map((c) => `${first} ${c}`)
        .join(' or ');
      throw new UsageError(`unknown command "${first} ${sub}"; try ${known}`);
    }
    return { name: `${first} ${sub}`, command, args };
  }
  const command = first === undefined ? undefined : COMMANDS[first];
  if (!command) throw new UsageError(`unknown command "${first}"`);
  return { name: first!, command, args: rest };
}

/**
 * Runs the CLI for `argv` (without node and the script) and returns the exit
 * code. Errors never escape: a usage error prints its message and a hint.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? argv.slice(1) : [];
    if (topic.length > 0) {
      try {
        io.stdout.write(resolve(topic).command.help);
        return EXIT_OK;
      } catch (err) {
        io.stderr.write(`earshot: ${(err as Error).message}\n`);
        return EXIT_USAGE;
      }
    }
    (first === undefined ? io.stderr : io.stdout).write(MAIN_HELP);
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${PACKAGE_VERSION}\n`);
    return EXIT_OK;
  }
  let name = 'earshot';
  try {
    const resolved = resolve(argv);
    name = `earshot ${resolved.name}`;
    return await resolved.command.run(resolved.args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const hint = name === 'earshot' ? 'earshot --help' : `${name} --help`;
      io.stderr.write(`${name}: ${err.message}\nRun '${hint}' for usage.\n`);
      return EXIT_USAGE;
    }
    const code = (err as NodeJS.ErrnoException).code;
    io.stderr.write(`${name}: ${(err as Error).message ?? String(err)}${code ? ` (${code})` : ''}\n`);
    return EXIT_USAGE;
  }
}
