import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BatchItem,
  BodyError,
  parseJsonBody,
  parseNdjsonBody,
} from '../../monitor/pipeline/parse-body.js';

const SEED = 20_260_302;
const CODES = ['malformed_json', 'batch_too_large', 'empty_body'];

/** Runs a parser; answers its items or the BodyError it threw, and fails on any other error. */
function outcome(parse: () => BatchItem[]): BatchItem[] | BodyError {
  try {
    return parse();
  } catch (err) {
    expect(err).toBeInstanceOf(BodyError);
    expect(CODES).toContain((err as BodyError).code);
    return err as BodyError;
  }
}

/** `[]` is an empty batch for JSON; NDJSON without a line is an empty body. */
function checkItems(items: BatchItem[], maxBatch: number, minItems: number): void {
  expect(Array.isArray(items)).toBe(true);
  expect(items.length).toBeGreaterThanOrEqual(minItems);
  expect(items.length).toBeLessThanOrEqual(maxBatch);
  for (const item of items) {
    if (item.ok) expect('value' in item).toBe(true);
    else expect(typeof item.reason).toBe('string');
  }
}

const utf8 = new TextDecoder('utf-8');

/** Text bodies: any string, random bytes read as UTF-8, JSON texts, and JSON cut or spliced. */
const textArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => utf8.decode(b)),
  fc.json(),
  fc
    .tuple(fc.json(), fc.nat(), fc.string({ maxLength: 4 }))
    .map(
      ([json, at, insert]) =>
        json.slice(0, at % (json.length + 1)) + insert + json.slice(at % (json.length + 1)),
    ),
  fc.constantFrom(
    '',
    ' ',
    '\n',
    '\r\n',
    '\t\n ',
    '\u2028',
    '\uFEFF{}',
    '{}\u0000',
    'null',
    '[]',
    '[[]]',
    '"',
  ),
);

/** Deeply nested arrays and objects, closed or not. */
const nestedArb = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean(), fc.boolean())
  .map(([depth, objects, closed]) => {
    const open = objects ? '{"a":' : '[';
    const close = objects ? '}' : ']';
    return open.repeat(depth) + (objects ? '1' : '') + (closed ? close.repeat(depth) : '');
  });

/** NDJSON: random lines, JSON lines, blank lines, CRLF endings. */
const ndjsonArb = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.json(),
        fc.string({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 40 }).map((b) => utf8.decode(b)),
        fc.constant(''),
        nestedArb.filter((s) => s.length < 2000),
      ),
      { maxLength: 30 },
    ),
    fc.constantFrom('\n', '\r\n', '\n\n'),
    fc.boolean(),
  )
  .map(([lines, eol, trailing]) => lines.join(eol) + (trailing ? eol : ''));

const maxBatchArb = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(1000));

describe('body parsers on arbitrary input', () => {
  it('parseJsonBody answers items or a BodyError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(textArb, nestedArb), maxBatchArb, (text, maxBatch) => {
        const out = outcome(() => parseJsonBody(text, maxBatch));
        if (out instanceof BodyError) return;
        checkItems(out, maxBatch, 0);
        for (const item of out) expect(item.ok).toBe(true);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('parseJsonBody error messages never quote the body', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12, maxLength: 60 }), (secret) => {
        const out = outcome(() => parseJsonBody(`{"k": ${secret}`, 10));
        if (out instanceof BodyError) expect(out.message).not.toContain(secret);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('parseNdjsonBody answers items (bad lines as per-line results) or a BodyError', () => {
    fc.assert(
      fc.property(fc.oneof(ndjsonArb, textArb), maxBatchArb, (text, maxBatch) => {
        const out = outcome(() => parseNdjsonBody(text, maxBatch));
        if (out instanceof BodyError) return;
        checkItems(out, maxBatch, 1);
        for (const item of out) {
          if (!item.ok) {
            expect(item.reason).toMatch(/^line \d+ is not valid JSON$/);
            expect(item.line).toBeGreaterThan(0);
          }
        }
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('parseNdjsonBody gives one item per non-blank line, bad lines included', () => {
    fc.assert(
      fc.property(ndjsonArb, (text) => {
        const nonBlank = text.split('\n').filter((l) => l.trim() !== '').length;
        const out = outcome(() => parseNdjsonBody(text, 1000));
        if (out instanceof BodyError) expect(nonBlank).toBe(0);
        else expect(out.length).toBe(nonBlank);
      }),
      { seed: SEED, numRuns: 800 },
    );
  });

  it('a huge array is refused as batch_too_large, not parsed item by item', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 50 }), fc.integer({ min: 1, max: 200 }), (maxBatch, extra) => {
        const text = JSON.stringify(Array.from({ length: maxBatch + extra }, (_, i) => ({ i })));
        const out = outcome(() => parseJsonBody(text, maxBatch));
        expect(out).toBeInstanceOf(BodyError);
        expect((out as BodyError).code).toBe('batch_too_large');
        const lines = outcome(() => parseNdjsonBody(text.slice(1, -1).replaceAll('},{', '}\n{'), maxBatch));
        expect((lines as BodyError).code).toBe('batch_too_large');
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
