import { performance } from 'node:perf_hooks';
import type { ConsentPolicy } from '../../detectors/consent/consent-policy.js';
import { type ConsentRecord, readConsentRecord } from '../../detectors/consent/consent-record.js';
import type { ConsentStore } from '../store/consent-store.js';
import type { ConsentFileRow } from './read-consent-file.js';

/** Records per insertRecords call: one transaction each. */
export const IMPORT_BATCH = 5000;
/**
 * Batches written at once. Two keep a PostgreSQL server busy on one batch
 * while the next is inserted, and this process reads and checks a third:
 * one at a time, each side waited for the other.
 */
export const IMPORT_WRITERS = 2;
/** Rejected rows listed in the summary; the rest are only counted. */
export const IMPORT_MAX_ERRORS = 100;

export interface ImportError {
  line: number;
  error: string;
}

export interface ImportSummary {
  /** Rows read (blank lines aside): recorded + duplicates + rejected. A CSV header in error counts as one rejected. */
  lines: number;
  /** Records new to the ledger. */
  recorded: number;
  /** Valid records the ledger already held (same record_id), from an earlier import or earlier in this file. */
  duplicates: number;
  /** Rows that could not be read or broke the policy; none of them was written. */
  rejected: number;
  /** The first rejected rows, by line, in file order. */
  errors: ImportError[];
  seconds: number;
}

export interface ImportOptions {
  batchSize?: number;
  maxErrors?: number;
  /** Batches written at once (each its own transaction and connection on PostgreSQL). */
  writers?: number;
  /** Called after each batch is in the store, with the totals so far. */
  onBatch?: (progress: Omit<ImportSummary, 'seconds'>) => void;
}

/**
 * The import stopped before the end: the input could not be read on, or
 * the store refused a batch. `summary` says what was in the store by then;
 * running the import again is safe, as rows already recorded count as
 * duplicates.
 */
export class ImportAbortedError extends Error {
  constructor(
    readonly summary: ImportSummary,
    readonly reason: unknown,
    readonly during: 'read' | 'write',
  ) {
    super(`import stopped after ${summary.lines} rows: ${(reason as Error)?.message ?? String(reason)}`);
    this.name = 'ImportAbortedError';
  }
}

/**
 * Imports consent records: each row is checked against the policy
 * (readConsentRecord), and the good ones are written in batches, each batch
 * one insertRecords call and so one transaction, all of it or nothing. A bad
 * row is counted and listed, never written, and never stops the import.
 * Record ids make it idempotent: importing the same rows again records
 * nothing new and counts them as duplicates.
 *
 * Up to IMPORT_WRITERS batches are written while the next is read and
 * checked, so a server database and the parsing work at the same time.
 * Batches written at once may commit in either order (the audit log
 * chains them in commit order), but a batch holding a record id of one
 * being written waits for it, so the first row with an id always wins.
 */
export async function importConsent(
  rows: AsyncIterable<ConsentFileRow> | Iterable<ConsentFileRow>,
  policy: ConsentPolicy,
  store: Pick<ConsentStore, 'insertRecords'>,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const batchSize = opts.batchSize ?? IMPORT_BATCH;
  const maxErrors = opts.maxErrors ?? IMPORT_MAX_ERRORS;
  const writers = opts.writers ?? IMPORT_WRITERS;
  const started = performance.now();
  const totals = { lines: 0, recorded: 0, duplicates: 0, rejected: 0, errors: [] as ImportError[] };
  const summary = (): ImportSummary => ({
    ...totals,
    errors: [...totals.errors],
    seconds: (performance.now() - started) / 1000,
  });

  // Batches being written, oldest first, with their record ids.
  const inFlight: Array<{ written: Promise<void>; ids: Set<string> }> = [];
  /** Waits for every batch being written, failed or not, then throws the first failure. */
  const settle = async () => {
    const results = await Promise.allSettled(inFlight.splice(0).map((b) => b.written));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  };
  const write = async (batch: ConsentRecord[]) => {
    const ids = new Set(batch.map((r) => r.record_id));
    // A record id shared with a batch being written waits for it: the first row in the file wins, as
    // when batches go one at a time, and two transactions never wait on each other's rows.
    if (inFlight.some((b) => batch.some((r) => b.ids.has(r.record_id)))) await settle();
    // At most `writers` batches at once: waits for the oldest, whose failure surfaces here.
    while (inFlight.length >= writers) await inFlight.shift()!.written;
    const written = store.insertRecords(batch).then((fresh) => {
      totals.recorded += fresh;
      totals.duplicates += batch.length - fresh;
      opts.onBatch?.({ ...totals, errors: [...totals.errors] });
    });
    // Marked handled now; the failure is rethrown when the batch is waited for.
    written.catch(() => {});
    inFlight.push({ written, ids });
  };

  let batch: ConsentRecord[] = [];
  const reject = (line: number, error: string) => {
    totals.rejected++;
    if (totals.errors.length < maxErrors) totals.errors.push({ line, error });
  };

  let writeError: { err: unknown } | null = null;
  try {
    for await (const item of rows) {
      totals.lines++;
      if ('error' in item) {
        reject(item.line, item.error);
        continue;
      }
      const read = readConsentRecord(item.row, policy);
      if (!read.ok) {
        reject(item.line, read.error);
        continue;
      }
      const unstorable = storeProblem(read.record);
      if (unstorable !== null) {
        reject(item.line, unstorable);
        continue;
      }
      batch.push(read.record);
      if (batch.length >= batchSize) {
        try {
          await write(batch);
        } catch (err) {
          writeError = { err };
          break; // closes the input
        }
        batch = [];
      }
    }
  } catch (err) {
    // Only reading throws here. The batch being written is let finish; the partial one is not written.
    try {
      await settle();
    } catch (failed) {
      throw new ImportAbortedError(summary(), failed, 'write');
    }
    throw new ImportAbortedError(summary(), err, 'read');
  }
  try {
    if (writeError === null && batch.length > 0) await write(batch);
  } catch (err) {
    writeError = { err };
  }
  // Every batch still being written is let finish, so the summary counts what is in the store.
  try {
    await settle();
  } catch (err) {
    writeError ??= { err };
  }
  if (writeError !== null) throw new ImportAbortedError(summary(), writeError.err, 'write');
  return summary();
}

const TEXT_FIELDS = ['record_id', 'user_id', 'purpose', 'consent_version', 'source', 'region'] as const;
/** NUL, or a surrogate not in a pair (the u flag reads pairs as one code point). */
const UNSTORABLE = /[\0\p{Cs}]/u;
/** PostgreSQL reads years 0001 to 9999 in this text form; year 0 and past 9999 (after the UTC shift) fail the batch. */
const inYearRange = (iso: string) => /^\d{4}-/.test(iso) && !iso.startsWith('0000-');

/**
 * Why a record the policy accepts would still fail its batch in the
 * database; null when it is fine. One such row would otherwise abort its
 * batch and the import with it: a time past 9999 once shifted to UTC, which
 * PostgreSQL does not read in this form, or a NUL character or a lone
 * surrogate, which jsonb refuses. Messages name the field, never the value.
 */
export function storeProblem(record: ConsentRecord): string | null {
  if (!inYearRange(record.occurred_at)) return 'occurred_at is outside the years 0001 to 9999 (UTC)';
  if (record.expires_at !== null && !inYearRange(record.expires_at)) {
    return 'expires_at is outside the years 0001 to 9999 (UTC)';
  }
  for (const field of TEXT_FIELDS) {
    const value = record[field];
    if (value !== null && UNSTORABLE.test(value)) {
      return `${field} holds a character the database cannot store (NUL or a lone surrogate)`;
    }
  }
  return null;
}
