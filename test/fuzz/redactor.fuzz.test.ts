import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPiiAnalyzer } from '../../detectors/pii/default-recognizers.js';
import type { PiiSpan } from '../../detectors/pii/recognizer.js';
import { createEventRedactor, type EventRedactor } from '../../detectors/pii/redact-event.js';
import { PROFILE } from '../../detectors/pii/test-profile-contract.js';
import type { ConversationEvent } from '../../monitor/pipeline/envelope.js';
import type { Contract, RedactOperator } from '../../monitor/registry/contract.js';
import { parseContractText } from '../../monitor/registry/parse-contract.js';
import { SHIPPED_TEXT } from './contract-mutations.js';
import { containsRaw, piiArb } from './pii-arbitraries.js';

const SEED = 20_260_304;
const analyzer = createPiiAnalyzer();
/** Every operator that removes the value ('none' keeps it on purpose). */
const OPERATORS: RedactOperator[] = ['replace', 'mask', 'hash', 'redact'];
const REDACTORS = new Map<RedactOperator, EventRedactor>(
  OPERATORS.map((op) => [op, createEventRedactor({ analyzer, operators: { default: op } })]),
);
const MESSAGE = parseContractText(SHIPPED_TEXT);
const CONTRACTS: Array<Contract | null> = [null, PROFILE, MESSAGE];

const operatorArb = fc.constantFrom(...OPERATORS);
const contractArb = fc.constantFrom(...CONTRACTS);

/**
 * Text around a value: random ASCII or Unicode, words that give context,
 * and words that name an id (a number after them is an order or an account
 * number, but never one written with its country code).
 */
const fillerArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    'hi, you can use',
    'my number is',
    'card',
    'mail me at',
    'thanks!',
    'reach me on',
    '\n',
    'my passport expired, call me on',
    'customer:',
    'IBAN:',
    'order',
    'v',
    '0',
  ),
);
/** What separates the value from its neighbours, as people write it. */
const sepArb = fc.constantFrom(' ', '\n', ', ', ' (', ') ', ': ', '\t');

/** A value among its neighbours, whatever they are. */
const textWithPiiArb = fc
  .tuple(fillerArb, sepArb, piiArb, sepArb, fillerArb)
  .map(([before, s1, pii, s2, after]) => ({
    pii,
    text: `${before}${s1}${pii.value}${s2}${after}`,
  }));

function checkSpans(text: string, spans: readonly PiiSpan[]): void {
  let end = 0;
  for (const s of spans) {
    expect(Number.isInteger(s.start) && Number.isInteger(s.end)).toBe(true);
    expect(s.start).toBeGreaterThanOrEqual(end);
    expect(s.end).toBeGreaterThan(s.start);
    expect(s.end).toBeLessThanOrEqual(text.length);
    expect(s.score).toBeGreaterThanOrEqual(analyzer.threshold);
    expect(s.score).toBeLessThanOrEqual(1);
    end = s.end;
  }
}

/** Events of random keys and JSON values, the PII put in a value, a nested array, a key, or all three. */
const eventWithPiiArb = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    textWithPiiArb,
    fc.constantFrom('value', 'nested', 'key', 'all', 'governed'),
    fc.constantFrom('test.profile', 'conversation.message', 'other.event'),
  )
  .map(([random, { pii, text }, where, type]) => {
    const event: Record<string, unknown> = { ...random, event_type: type };
    if (where === 'value' || where === 'all') event.note = text;
    if (where === 'nested' || where === 'all') event.history = [{ said: [1, text] }, null];
    if (where === 'key' || where === 'all') event[text] = true;
    if (where === 'governed') Object.assign(event, { email: pii.value, phone: pii.value, text, notes: text });
    // Through JSON, as the HTTP body gives it.
    return { pii, event: JSON.parse(JSON.stringify(event)) as ConversationEvent };
  });

describe('redactor on arbitrary text and events', () => {
  it('never throws on arbitrary text, and its spans are in order and in bounds', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: fc.constantFrom(...'0123456789 -+()./@:'.split('')), maxLength: 120 }),
        ),
        operatorArb,
        (text, op) => {
          const out = REDACTORS.get(op)!.text(text);
          expect(typeof out.text).toBe('string');
          checkSpans(text, out.entities);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('removes every inserted e-mail, phone, card number and IBAN from text', () => {
    fc.assert(
      fc.property(textWithPiiArb, operatorArb, ({ pii, text }, op) => {
        const out = REDACTORS.get(op)!.text(text);
        checkSpans(text, out.entities);
        expect(out.text).not.toContain(pii.value);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('removes every inserted value from events (values, nested arrays, keys), leaving the caller event alone', () => {
    fc.assert(
      fc.property(eventWithPiiArb, operatorArb, contractArb, ({ pii, event }, op, contract) => {
        const before = JSON.stringify(event);
        const out = REDACTORS.get(op)!.event(event, contract);
        expect(JSON.stringify(event)).toBe(before);
        const json = JSON.stringify(out.event);
        expect(containsRaw(json, pii.value)).toBe(false);
        for (const e of out.entities) expect(e.pointer).not.toContain(pii.value);
      }),
      { seed: SEED, numRuns: 800 },
    );
  });

  it('never throws on arbitrary events under any contract', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.object({ maxDepth: 4 }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: v, user_id: v, email: v, embedding: v })),
        ),
        operatorArb,
        contractArb,
        (value, op, contract) => {
          const event = JSON.parse(JSON.stringify(value)) as ConversationEvent;
          const out = REDACTORS.get(op)!.event(event, contract);
          expect(out.event).toBeTypeOf('object');
          for (const e of out.entities) expect(e.pointer.startsWith('/')).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });
});
