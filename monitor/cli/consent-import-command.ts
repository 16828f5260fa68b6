import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ImportAbortedError, type ImportSummary, importConsent } from '../consent/import-consent.js';
import {
  CONSENT_FILE_FORMATS,
  type ConsentFileFormat,
  formatFromName,
  readConsentFile,
} from '../consent/read-consent-file.js';
import { setHashSalt } from '../findings/safe-token.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { loadCliConfig } from './cli-config.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';

export const CONSENT_IMPORT_HELP = `Usage: earshot consent import FILE|- [--format ndjson|csv] [--report text|json]

Imports consent records (from a consent management platform, a CRM, an
earlier system) into the consent ledger. Each row is one user's grant,
denial or withdrawal for one purpose:

  user_id, purpose, status (granted|denied|withdrawn), occurred_at (RFC 3339)
  and optionally consent_version, source, lawful_basis, region, gpc,
  consent_mode.ad_storage, consent_mode.analytics_storage,
  consent_mode.ad_user_data, consent_mode.ad_personalization, expires_at,
  record_id

NDJSON: one JSON object per line with these fields (consent_mode may also be
an object of the four signals). CSV (RFC 4180): a header row naming these
columns in any order; an empty cell is absent. Other fields or columns are
an error.

Every row is checked against the consent policy (detectors.consent: known
purposes and regions, real timestamps). Rows that fail are reported by line
and field, never by value, and are not written; the others are written in
batches of 5,000, one transaction each. record_id (or, without it, a hash of
the row's content) makes the import idempotent: importing a file again
records nothing new and counts its rows as duplicates.

The store is the one earshot serve uses: PostgreSQL at DATABASE_URL, else
the embedded database in EARSHOT_DATA_DIR (store.dataDir in EARSHOT_CONFIG),
which takes one process at a time. A running earshot serve sees imported
records of users it does not hold in memory yet; restart it to be sure it
sees them all.

Options:
  --format ndjson|csv   input format (default: by extension, .csv is CSV,
                        .ndjson, .jsonl and anything else NDJSON; stdin NDJSON)
  --report text|json    text (default): one line per rejected row (the first
                        100), then totals and records/s. json: the summary
                        {lines, recorded, duplicates, rejected, errors, seconds}
  -h, --help            show this help

Exit codes: 0 every row was recorded or was a duplicate, 1 some rows were
rejected (the others are recorded), 2 usage error, unreadable file, or the
store cannot be opened or written.
`;

const REPORTS = ['text', 'json'] as const;

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? (err as Error).message ?? String(err);
}

async function openInput(file: string, io: CliIo): Promise<NodeJS.ReadableStream> {
  if (file === '-') {
    if ((io.stdin as { isTTY?: boolean }).isTTY)
      io.stderr.write('reading records from stdin (Ctrl-D to end)\n');
    return io.stdin;
  }
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new UsageError(`cannot read ${file}: not a file`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${file}: ${reason(err)}`);
  }
  return createReadStream(file);
}

/** `earshot consent import FILE|-`. Returns the exit code. */
export async function runConsentImport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      format: { type: 'string' },
      report: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(CONSENT_IMPORT_HELP);
    return EXIT_OK;
  }
  const report = values.report as (typeof REPORTS)[number];
  if (!REPORTS.includes(report))
    throw new UsageError(`--report must be text or json, got "${values.report}"`);
  if (values.format !== undefined && !(CONSENT_FILE_FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`--format must be ndjson or csv, got "${values.format}"`);
  }
  if (positionals.length !== 1 || positionals[0] === '') {
    throw new UsageError(
      positionals.length > 1
        ? 'consent import takes one FILE (or -)'
        : 'consent import needs a FILE (or - for stdin)',
    );
  }
  const file = positionals[0]!;
  const format =
    (values.format as ConsentFileFormat | undefined) ?? (file === '-' ? 'ndjson' : formatFromName(file));
  const source = file === '-' ? 'stdin' : file;

  const config = await loadCliConfig(io.env);
  // Imported records are chained into the audit log with users as salted hashes: the server's salt keeps them linkable.
  if (config.privacy.hashSalt) setHashSalt(config.privacy.hashSalt);
  else
    io.stderr.write(
      "consent import: privacy.hashSalt is not set: audit log hashes will not match the server's\n",
    );
  const input = await openInput(file, io);

  let store: Store;
  try {
    store = await openStore({ url: config.store.url ?? undefined, dataDir: config.store.dataDir });
  } catch (err) {
    (input as { destroy?: () => void }).destroy?.();
    io.stderr.write(`consent import: cannot open the ${where(config.store.url)}: ${failure(err)}\n`);
    return EXIT_USAGE;
  }

  let summary: ImportSummary;
  try {
    summary = await importConsent(readConsentFile(input, format), config.detectors.consent, store.consent);
  } catch (err) {
    if (!(err instanceof ImportAbortedError)) throw err;
    io.stdout.write(formatSummary(report, err.summary));
    io.stderr.write(
      err.during === 'read'
        ? `consent import: cannot read ${source}: ${reason(err.reason)}\n`
        : `consent import: the ${where(config.store.url)} refused a batch: ${failure(err.reason)}\n`,
    );
    io.stderr.write(
      `consent import: stopped after ${err.summary.lines} rows, ${err.summary.recorded} recorded; importing again is safe, recorded rows count as duplicates\n`,
    );
    return EXIT_USAGE;
  } finally {
    await store.close().catch(() => {});
  }
  io.stdout.write(formatSummary(report, summary));
  return summary.rejected > 0 ? EXIT_FAILED : EXIT_OK;
}

/** Where the store is, without the URL, which may hold a password. */
function where(url: string | null): string {
  return url ? 'PostgreSQL database' : 'embedded database';
}

function failure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return `${(err as Error).message ?? String(err)}${code ? ` (${code})` : ''}`;
}

const count = (n: number) => n.toLocaleString('en-US');

export function formatSummary(kind: 'text' | 'json', s: ImportSummary): string {
  if (kind === 'json') return `${JSON.stringify(s, null, 2)}\n`;
  let out = '';
  for (const e of s.errors) out += `line ${e.line}: ${e.error}\n`;
  const unlisted = s.rejected - s.errors.length;
  if (unlisted > 0) out += `... and ${count(unlisted)} more rejected rows\n`;
  const valid = s.recorded + s.duplicates;
  const rate = s.seconds > 0 ? Math.round(valid / s.seconds) : 0;
  out +=
    `${count(s.lines)} rows: ${count(s.recorded)} recorded, ${count(s.duplicates)} duplicates, ` +
    `${count(s.rejected)} rejected in ${s.seconds.toFixed(2)} s (${count(rate)} records/s)\n`;
  return out;
}
