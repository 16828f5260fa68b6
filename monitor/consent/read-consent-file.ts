import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { CONSENT_MODE_SIGNALS } from '../../detectors/consent/consent-policy.js';

export const CONSENT_FILE_FORMATS = ['ndjson', 'csv'] as const;
export type ConsentFileFormat = (typeof CONSENT_FILE_FORMATS)[number];

/**
 * One row of an import file, or why it cannot be read, with the 1-based line
 * it starts on. Errors name the line and the field or column, never a value:
 * cells may hold personal data.
 */
export type ConsentFileRow = { line: number; row: Record<string, unknown> } | { line: number; error: string };

/** The fields an import row may hold; CSV columns by these names, in any order. */
export const CONSENT_IMPORT_FIELDS: readonly string[] = [
  'user_id',
  'purpose',
  'status',
  'occurred_at',
  'consent_version',
  'source',
  'lawful_basis',
  'region',
  'gpc',
  ...CONSENT_MODE_SIGNALS.map((s) => `consent_mode.${s}`),
  'expires_at',
  'record_id',
];
const KNOWN_FIELDS = new Set(CONSENT_IMPORT_FIELDS);
const KNOWN_SIGNALS = new Set<string>(CONSENT_MODE_SIGNALS);

/**
 * Characters a row may span (an NDJSON line, a CSV record with its quoted
 * line breaks). A real record is a few hundred; past this, a CSV quote was
 * most likely never closed, and reading on would hold the rest of the file
 * in memory as one cell.
 */
export const MAX_ROW_CHARS = 64 * 1024;

/** The format of a file by its extension: .csv is CSV, .ndjson, .jsonl and anything else NDJSON. */
export function formatFromName(path: string): ConsentFileFormat {
  return extname(path).toLowerCase() === '.csv' ? 'csv' : 'ndjson';
}

/** A field or column name for an error message: quoted, escaped and cut short, since it comes from the file. */
function nameOf(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}...` : name);
}

/**
 * Streams the rows of an import file line by line (never the whole file in
 * memory). Blank lines are skipped. A row that cannot be read is yielded as
 * an error and reading goes on with the next one. Rejects when the input
 * stream fails.
 */
export async function* readConsentFile(
  input: NodeJS.ReadableStream,
  format: ConsentFileFormat,
): AsyncGenerator<ConsentFileRow> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    yield* format === 'csv' ? readCsv(lines) : readNdjson(lines);
  } finally {
    lines.close();
  }
}

async function* readNdjson(lines: AsyncIterable<string>): AsyncGenerator<ConsentFileRow> {
  let n = 0;
  for await (const raw of lines) {
    n++;
    // Editors on some systems start a UTF-8 file with a byte order mark, which JSON.parse refuses.
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    yield ndjsonRow(text, n);
  }
}

function ndjsonRow(text: string, line: number): ConsentFileRow {
  if (text.length > MAX_ROW_CHARS) return { line, error: `line is longer than ${MAX_ROW_CHARS} characters` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault: it is not passed on.
    return { line, error: 'not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { line, error: 'not a JSON object' };
  }
  const row = value as Record<string, unknown>;
  for (const key of Object.keys(row)) {
    if (KNOWN_FIELDS.has(key)) continue;
    if (key === 'consent_mode') {
      const mode = row[key];
      if (mode === null || typeof mode !== 'object' || Array.isArray(mode)) continue; // readConsentRecord says why
      const unknown = Object.keys(mode).find((s) => !KNOWN_SIGNALS.has(s));
      if (unknown !== undefined) return { line, error: `unknown field ${nameOf(`consent_mode.${unknown}`)}` };
      continue;
    }
    // A misspelt field would otherwise be dropped without a word.
    return { line, error: `unknown field ${nameOf(key)}` };
  }
  return { line, row };
}

type CsvParse =
  | { kind: 'record'; cells: string[] }
  | { kind: 'more' }
  | { kind: 'error'; cell: number; error: string };

/**
 * An RFC 4180 record parser fed one physical line at a time: a quoted cell
 * may hold commas, doubled quotes and line breaks, so a record can span
 * lines. Cells are kept exactly (no trimming), as the RFC says.
 */
class CsvRecordParser {
  private cells: string[] = [];
  private cell = '';
  private inQuotes = false;
  private chars = 0;

  reset(): void {
    this.cells = [];
    this.cell = '';
    this.inQuotes = false;
    this.chars = 0;
  }

  /** True while a quoted cell is open across lines. */
  get open(): boolean {
    return this.inQuotes;
  }

  feed(line: string): CsvParse {
    this.chars += line.length + 1;
    if (this.chars > MAX_ROW_CHARS) {
      return {
        kind: 'error',
        cell: this.cells.length,
        error: `record is longer than ${MAX_ROW_CHARS} characters (a quote not closed?)`,
      };
    }
    let i = 0;
    if (this.inQuotes) this.cell += '\n';
    for (;;) {
      if (this.inQuotes) {
        const q = line.indexOf('"', i);
        if (q === -1) {
          this.cell += line.slice(i);
          return { kind: 'more' };
        }
        this.cell += line.slice(i, q);
        if (line.charCodeAt(q + 1) === 34) {
          this.cell += '"';
          i = q + 2;
          continue;
        }
        this.inQuotes = false;
        i = q + 1;
        if (i === line.length) return this.endRecord();
        if (line.charCodeAt(i) !== 44) {
          return { kind: 'error', cell: this.cells.length, error: 'characters after a closing quote' };
        }
        this.endCell();
        i++;
        continue;
      }
      // At the start of a cell.
      if (line.charCodeAt(i) === 34) {
        this.inQuotes = true;
        i++;
        continue;
      }
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      const raw = line.slice(i, end);
      if (raw.includes('"')) {
        return { kind: 'error', cell: this.cells.length, error: 'a quote inside an unquoted cell' };
      }
      this.cell = raw;
      if (comma === -1) return this.endRecord();
      this.endCell();
      i = comma + 1;
    }
  }

  private endCell(): void {
    this.cells.push(this.cell);
    this.cell = '';
  }

  private endRecord(): CsvParse {
    this.endCell();
    const cells = this.cells;
    this.reset();
    return { kind: 'record', cells };
  }
}

interface CsvHeader {
  /** The field each column holds, or why the column cannot be used. */
  columns: Array<{ field: string } | { problem: string }>;
}

function readHeader(cells: string[]): { header: CsvHeader; problems: string[] } {
  const seen = new Set<string>();
  const problems: string[] = [];
  const columns = cells.map((raw, i): CsvHeader['columns'][number] => {
    const name = raw.trim();
    let problem: string | null = null;
    if (name === '') problem = `column ${i + 1} has no name`;
    else if (!KNOWN_FIELDS.has(name)) problem = `unknown column ${nameOf(name)}`;
    else if (seen.has(name)) problem = `column ${nameOf(name)} appears twice`;
    seen.add(name);
    if (problem === null) return { field: name };
    problems.push(problem);
    return { problem };
  });
  return { header: { columns }, problems };
}

function columnName(header: CsvHeader, cell: number): string {
  const column = header.columns[cell];
  return column && 'field' in column ? `column ${nameOf(column.field)}` : `column ${cell + 1}`;
}

/**
 * A data record against the header. A column the header cannot use (unknown
 * or repeated) only rejects the records that put something in it: an empty
 * cell is absent, so nothing is lost by leaving it out.
 */
function csvRow(header: CsvHeader, cells: string[], line: number): ConsentFileRow {
  if (cells.length !== header.columns.length) {
    return { line, error: `${cells.length} cells where the header names ${header.columns.length} columns` };
  }
  const row: Record<string, unknown> = {};
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell === '') continue;
    const column = header.columns[i]!;
    if ('problem' in column) return { line, error: `column ${i + 1} holds a value but ${column.problem}` };
    row[column.field] = cell;
  }
  return { line, row };
}

/**
 * CSV with a header row naming the fields. Header problems (an unknown or
 * repeated column) are reported once on the header's line; the records are
 * still read.
 */
async function* readCsv(lines: AsyncIterable<string>): AsyncGenerator<ConsentFileRow> {
  const parser = new CsvRecordParser();
  let header: CsvHeader | null = null;
  let n = 0;
  let start = 0;
  for await (const raw of lines) {
    n++;
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!parser.open) {
      if (text.trim() === '') continue;
      start = n;
    }
    const parsed = parser.feed(text);
    if (parsed.kind === 'more') continue;
    if (parsed.kind === 'error') {
      parser.reset();
      if (header === null) {
        // Without the header no record can be matched to its fields.
        yield {
          line: start,
          error: `header: column ${parsed.cell + 1}: ${parsed.error}; no record was read`,
        };
        return;
      }
      // The rest of the record is dropped; reading starts afresh on the next line.
      yield { line: start, error: `${columnName(header, parsed.cell)}: ${parsed.error}` };
      continue;
    }
    if (header === null) {
      const read = readHeader(parsed.cells);
      header = read.header;
      if (read.problems.length > 0) yield { line: start, error: `header: ${read.problems.join('; ')}` };
      continue;
    }
    yield csvRow(header, parsed.cells, start);
  }
  if (parser.open) yield { line: start, error: 'a quoted cell is not closed by the end of the file' };
}
