import { setHashSalt } from '../findings/safe-token.js';
import { buildConsentReport, DEFAULT_EVIDENCE_LIMIT } from '../reports/build-consent-report.js';
import { renderConsentCsv } from '../reports/consent-report-csv.js';
import { renderConsentHtml } from '../reports/consent-report-html.js';
import { openStore } from '../store/open-store.js';
import { loadCliConfig } from './cli-config.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';

export const REPORT_CONSENT_HELP = `Usage: earshot report consent --from TIME --to TIME [--format json|csv|html]

The consent compliance report for the period [from, to): per purpose and
channel the events processed, those with valid consent, violations by kind
and users affected; the evidence (event, purpose, outcome, the consent
record that applied; users as salted hashes); and proof of stopping: for
every withdrawal in the period, the events processed for that purpose
afterwards (zero is the answer a compliance officer wants).

The same report as GET /v1/reports/consent. It reads the store earshot serve
writes: PostgreSQL at DATABASE_URL, else the embedded database in
EARSHOT_DATA_DIR (stop earshot serve first: it takes one process at a time).

Options:
  --from TIME          start of the period, RFC 3339 (e.g. 2026-01-01T00:00:00Z)
  --to TIME            end of the period (excluded)
  --format json|csv|html   output (default json)
  --evidence-limit N   evidence rows at most (default ${DEFAULT_EVIDENCE_LIMIT})
  --out FILE           write to FILE instead of standard output
  -h, --help           show this help

Exit codes: 0 written, 2 usage error or the store cannot be read.
`;

function time(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new UsageError(`${flag} must be an RFC 3339 time such as 2026-01-01T00:00:00Z`);
  }
  return new Date(ms).toISOString();
}

/** `earshot report consent`. Returns the exit code. */
export async function runReportConsent(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'json' },
      'evidence-limit': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(REPORT_CONSENT_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const from = time(values.from as string | undefined, '--from');
  const to = time(values.to as string | undefined, '--to');
  if (from >= to) throw new UsageError('--from must be before --to');
  const format = values.format as string;
  if (format !== 'json' && format !== 'csv' && format !== 'html') {
    throw new UsageError(`--format must be json, csv or html, got "${format}"`);
  }
  const limitText = values['evidence-limit'] as string | undefined;
  const evidenceLimit = limitText === undefined ? DEFAULT_EVIDENCE_LIMIT : Number(limitText);
  if (!Number.isInteger(evidenceLimit) || evidenceLimit < 0) {
    throw new UsageError('--evidence-limit must be a non-negative integer');
  }
  const config = await loadCliConfig(io.env);
  if (config.privacy.hashSalt) setHashSalt(config.privacy.hashSalt);
  const store = await openStore({ url: config.store.url ?? undefined, dataDir: config.store.dataDir });
  let text: string;
  try {
    const report = await buildConsentReport(store.consent, { from, to }, { evidenceLimit });
    text =
      format === 'csv'
        ? renderConsentCsv(report)
        : format === 'html'
          ? renderConsentHtml(report)
          : `${JSON.stringify(report, null, 2)}\n`;
  } finally {
    await store.close();
  }
  const out = values.out as string | undefined;
  if (out !== undefined) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(out, text);
  } else io.stdout.write(text);
  return EXIT_OK;
}
