import { createInterface } from 'node:readline';

export interface NdjsonTally {
  /** Lines that held a JSON object. */
  objects: number;
  /** Non-blank lines that were not a JSON object. */
  malformed: number;
  /** 1-based number of the first malformed line, for the user to look it up; the content is never kept. */
  firstMalformedLine: number | null;
}

/**
 * Streams NDJSON line by line, handing each JSON object to `onObject`. Blank
 * lines are ignored; lines that are not a JSON object (bad JSON, arrays,
 * scalars) are counted and dropped. Rejects when the input stream fails.
 */
export async function readNdjson(
  input: NodeJS.ReadableStream,
  onObject: (event: Record<string, unknown>) => void,
): Promise<NdjsonTally> {
  const tally: NdjsonTally = { objects: 0, malformed: 0, firstMalformedLine: null };
  let failure: unknown = null;
  input.once('error', (err) => {
    failure = err;
  });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const raw of lines) {
    n++;
    // Editors on some systems start a UTF-8 file with a byte order mark, which JSON.parse refuses.
    const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      tally.objects++;
      onObject(value as Record<string, unknown>);
    } else {
      tally.malformed++;
      tally.firstMalformedLine ??= n;
    }
  }
  if (failure) throw failure;
  return tally;
}
