import { AuditLog, type AuditVerdict } from '../store/audit-log.js';
import { openSql } from '../store/open-sql.js';
import type { SqlExecutor } from '../store/sql.js';
import { loadCliConfig } from './cli-config.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';

export const AUDIT_VERIFY_HELP = `Usage: earshot audit verify [--format text|json]

Walks the consent audit log in order and recomputes its hash chain: every
row's content hash, its row hash, and its link to the row before it. Names
the first row (by seq) that was edited, or before which rows were removed or
inserted. Prints seq numbers and hashes only, never the logged content.

The store is the one earshot serve uses: PostgreSQL at DATABASE_URL, else
the embedded database in EARSHOT_DATA_DIR (store.dataDir in EARSHOT_CONFIG).
An embedded data directory takes one process at a time: stop earshot serve
before verifying it.

Removing the newest rows leaves a shorter chain that is still whole: keep
the head this prints elsewhere and compare it later to notice that.

Options:
  --format text|json   report format (default text)
  -h, --help           show this help

Exit codes: 0 the chain is intact, 1 the chain is broken, 2 usage error or
the store cannot be opened or read.
`;

/** `earshot audit verify`. Returns the exit code. */
export async function runAuditVerify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(AUDIT_VERIFY_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, got "${values.format}"`);
  }
  const config = await loadCliConfig(io.env);
  let sql: SqlExecutor | undefined;
  let verdict: AuditVerdict;
  try {
    sql = await openSql({ url: config.store.url ?? undefined, dataDir: config.store.dataDir });
    verdict = await new AuditLog(sql).verify();
  } catch (err) {
    // The driver's message (connection refused, missing table...) without the URL, which may hold a password.
    const code = (err as NodeJS.ErrnoException).code;
    io.stderr.write(
      `audit verify: cannot read the audit log from the ${config.store.url ? 'PostgreSQL database' : `data directory ${config.store.dataDir}`}: ${(err as Error).message ?? String(err)}${code ? ` (${code})` : ''}\n`,
    );
    return EXIT_USAGE;
  } finally {
    await sql?.close().catch(() => {});
  }
  io.stdout.write(values.format === 'json' ? `${JSON.stringify(verdict, null, 2)}\n` : formatText(verdict));
  return verdict.ok ? EXIT_OK : EXIT_FAILED;
}

function formatText(verdict: AuditVerdict): string {
  if (verdict.ok) return `audit log intact: ${verdict.rows} rows, head ${verdict.head}\n`;
  return (
    `audit log BROKEN at seq ${verdict.seq} (${verdict.problem}): ${verdict.message}\n` +
    `${verdict.rows} rows before it check out.\n`
  );
}
