/** One item of a batch as parsed: a value to check, or why it could not be read. */
export type BatchItem = { ok: true; value: unknown } | { ok: false; reason: string; line?: number };

export class BodyError extends Error {
  constructor(
    readonly code: 'malformed_json' | 'batch_too_large' | 'empty_body',
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * A JSON body: an array of events or a single event. A body that is not JSON
 * at all is refused whole (there is no event to report on); its error message
 * names the position only, never the content.
 */
export function parseJsonBody(text: string, maxBatch: number): BatchItem[] {
  if (text.trim() === '') throw new BodyError('empty_body', 'the body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new BodyError('malformed_json', `the body is not valid JSON${pos ? ` (at position ${pos})` : ''}`);
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.length > maxBatch) {
    throw new BodyError('batch_too_large', `the batch has ${values.length} events; the limit is ${maxBatch}`);
  }
  return values.map((v) => ({ ok: true, value: v }));
}

/**
 * An NDJSON body: one event per line. A line that is not JSON becomes a
 * per-event `malformed` result and the other lines go on.
 */
export function parseNdjsonBody(text: string, maxBatch: number): BatchItem[] {
  const items: BatchItem[] = [];
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '') continue;
    if (items.length >= maxBatch) {
      throw new BodyError(
        'batch_too_large',
        `the batch has more than ${maxBatch} events; the limit is ${maxBatch}`,
      );
    }
    items.push(parseLine(raw, line));
  }
  if (items.length === 0) throw new BodyError('empty_body', 'the body has no events');
  return items;
}

/** Parses one NDJSON line. */
export function parseLine(raw: string, line?: number): BatchItem {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, reason: `line ${line ?? '?'} is not valid JSON`, ...(line ? { line } : {}) };
  }
}
