import { isDigit, isLetter } from '../char-codes.js';
import { CONTEXT_AFTER, CONTEXT_BEFORE, hasContext, withContext } from '../context.js';
import type { PiiEntity } from '../entities.js';
import { cardSchemeKnown, luhnValid, ssnDigitsValid } from '../number-rules.js';
import { phoneValid } from '../phone-rules.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import { TextView } from '../text-view.js';

/**
 * Speech-to-text writes a number read aloud as words: "four one one one ...",
 * "five five five, one two three", "double oh seven". This recognizer reads
 * runs of such tokens as a digit string and classifies it as a card, SSN or
 * phone number by its length, checksum and context.
 */

const CARD_SCORE = 0.9;
const SSN_SCORE = 0.85;
const PHONE_SCORE = 0.8;

/** Fewer digits than a short local phone number is a count, a time or a price, not an identifier. */
const MIN_DIGITS = 7;
const MAX_CARD = 19;
const MIN_CARD = 13;
/** Digits kept per run: enough for the longest card, and one more to know the run is longer. */
const KEEP_DIGITS = MAX_CARD + 1;
/** ASCII digit groups longer than this are typed numbers, not dictation mixed with words. */
const MAX_DIGIT_GROUP = 4;
/** The longest word the tokenizer looks up ("nought", "hundred", "triple"). */
const MAX_WORD = 7;
/** The most characters between two tokens of one run (", - " is four). */
const MAX_GAP = 4;

const CARD_CONTEXT = ['card', 'credit', 'debit', 'visa', 'mastercard', 'amex'];
const SSN_CONTEXT = ['social', 'ssn'];
const ID_BEFORE =
  /(?:order|tracking|invoice|reference|ref|booking|confirmation|ticket|case|account|member|policy)(?: number| no\.?| id)?(?: is)?[\s:#,]*$/;
const PHONE_CONTEXT = [
  'phone',
  'number',
  'call',
  'reach',
  'mobile',
  'cell',
  'contact',
  'tel',
  'dial',
  'text',
];

const DIGIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['zero', '0'],
  ['oh', '0'],
  ['o', '0'],
  ['nought', '0'],
  ['one', '1'],
  ['two', '2'],
  ['three', '3'],
  ['four', '4'],
  ['five', '5'],
  ['six', '6'],
  ['seven', '7'],
  ['eight', '8'],
  ['nine', '9'],
]);
const MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['double', 2],
  ['triple', 3],
]);
/** Words read between groups that keep the run going without adding a digit. */
const SEPARATOR_WORDS: ReadonlySet<string> = new Set(['dash', 'hyphen']);

/** Cheap gate: some digit word appears (as a substring: "phone" passes, which is fine for a gate). */
const GATE = /zero|one|two|three|four|five|six|seven|eight|nine|oh|nought/;

/** The words this recognizer reads, by length, so a word is compared in place rather than cut out and lowercased. */
const VOCABULARY_BY_LENGTH: readonly (readonly string[])[] = (() => {
  const words = [...DIGIT_WORDS.keys(), ...MULTIPLIERS.keys(), ...SEPARATOR_WORDS, 'hundred', 'plus'];
  const table: string[][] = Array.from({ length: MAX_WORD + 1 }, () => []);
  for (const w of words) table[w.length]!.push(w);
  return table;
})();

/** The vocabulary word that is the whole token of `len` letters at `start` in the lowercased text, or ''. */
function vocabularyAt(lower: string, start: number, len: number): string {
  for (const w of VOCABULARY_BY_LENGTH[len]!) if (lower.startsWith(w, start)) return w;
  return '';
}

/** Between two tokens of a run: 1 to MAX_GAP spaces, tabs, commas, periods or dashes. */
function gapJoins(text: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > MAX_GAP) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // space, tab, comma, hyphen, period, en dash, em dash
    if (!(c === 32 || c === 9 || c === 44 || c === 45 || c === 46 || c === 0x2013 || c === 0x2014))
      return false;
  }
  return true;
}

/** A run of digit tokens being read. */
interface Run {
  start: number;
  end: number;
  /** The first KEEP_DIGITS digits. */
  digits: string;
  count: number;
  /** How many digits came from words rather than typed digits. */
  spelled: number;
  /** Read after "plus": the number carries its country code. */
  plus: boolean;
  /** For each digit token while count <= MAX_CARD: its end offset and the digit count so far. */
  cuts: { end: number; count: number }[];
  /** The last token was a single spelled digit ("eight" before "hundred"). */
  lastSingle: boolean;
  /** The run opens with "oh"/"o", followed by punctuation: likely an interjection ("oh, five five five ..."). */
  leadingOh: 'none' | 'plain' | 'punct';
  /** Where the second digit token starts, for reading the run without a leading "oh". */
  secondStart: number;
}

function newRun(start: number, plus: boolean): Run {
  return {
    start,
    end: start,
    digits: '',
    count: 0,
    spelled: 0,
    plus,
    cuts: [],
    lastSingle: false,
    leadingOh: 'none',
    secondStart: -1,
  };
}

function append(run: Run, digits: string, end: number, spelled: boolean): void {
  if (run.digits.length < KEEP_DIGITS) run.digits = (run.digits + digits).slice(0, KEEP_DIGITS);
  run.count += digits.length;
  run.end = end;
  if (spelled) run.spelled += digits.length;
  if (run.count <= MAX_CARD) run.cuts.push({ end, count: run.count });
}

/** Digits counting up or down by one ("one two three four five six seven"): someone counting, not a number. */
function isCounting(digits: string): boolean {
  let up = true;
  let down = true;
  for (let i = 1; i < digits.length; i++) {
    const prev = digits.charCodeAt(i - 1) - 48;
    const d = digits.charCodeAt(i) - 48;
    if (d !== (prev + 1) % 10) up = false;
    if (d !== (prev + 9) % 10) down = false;
  }
  return up || down;
}

function allSame(digits: string): boolean {
  for (let i = 1; i < digits.length; i++) if (digits[i] !== digits[0]) return false;
  return true;
}

/** State for one scan: the text, and phone checks cached so a repeated number is parsed once. */
class Classifier {
  private readonly phoneCache = new Map<string, boolean>();

  constructor(private readonly view: TextView) {}

  private near(start: number, end: number, words: readonly string[]): boolean {
    // A window around the span: hasContext on the whole text would scan to its end for every run.
    const from = Math.max(0, start - CONTEXT_BEFORE);
    const to = Math.min(this.view.text.length, end + CONTEXT_AFTER);
    return hasContext(new TextView(this.view.lower.slice(from, to)), start - from, end - from, words);
  }

  private phone(candidate: string): boolean {
    let ok = this.phoneCache.get(candidate);
    if (ok === undefined) {
      ok = phoneValid(candidate);
      if (this.phoneCache.size < 1024) this.phoneCache.set(candidate, ok);
    }
    return ok;
  }

  /** The entity of `digits` spoken at [start, end), or undefined. */
  classify(
    digits: string,
    count: number,
    start: number,
    end: number,
    plus: boolean,
  ): { entity: PiiEntity; score: number } | undefined {
    if (count < MIN_DIGITS || count > MAX_CARD) return undefined;
    if (!plus && count >= MIN_CARD && luhnValid(digits) && cardSchemeKnown(digits)) {
      return { entity: 'CREDIT_CARD', score: withContext(CARD_SCORE, this.near(start, end, CARD_CONTEXT)) };
    }
    if (isCounting(digits) || allSame(digits)) return undefined;
    if (!plus && count === 9 && ssnDigitsValid(digits) && this.near(start, end, SSN_CONTEXT)) {
      return { entity: 'US_SSN', score: SSN_SCORE };
    }
    if (count > 15) return undefined;
    // "my order number is seven oh two ...": an id read aloud, not a phone.
    if (ID_BEFORE.test(this.view.lower.slice(Math.max(0, start - 32), start))) return undefined;
    const context = this.near(start, end, PHONE_CONTEXT);
    if (!plus && !context && (count < 10 || count > 11)) return undefined;
    const international = plus || (count === 11 && digits[0] === '1');
    if (this.phone(international ? `+${digits}` : digits)) {
      return { entity: 'PHONE_NUMBER', score: withContext(PHONE_SCORE, context) };
    }
    return undefined;
  }

  /** The span of a finished run, trying it without a leading "oh" and, for cards, without what follows. */
  spanOf(run: Run): PiiSpan | undefined {
    // Dictation is mostly words: a typed number with a stray "one" after it is the phone or card recognizer's.
    if (run.spelled < 2 || run.spelled * 4 < run.count || run.count < MIN_DIGITS) return undefined;
    const whole = { start: run.start, digits: run.digits, count: run.count };
    const attempts = [whole];
    if (run.leadingOh !== 'none' && run.secondStart !== -1) {
      const withoutOh = { start: run.secondStart, digits: run.digits.slice(1), count: run.count - 1 };
      // "oh, five five five ..." is an interjection; "oh five five ..." may be a leading zero.
      if (run.leadingOh === 'punct') attempts.unshift(withoutOh);
      else attempts.push(withoutOh);
    }
    for (const a of attempts) {
      const found = this.classify(a.digits, a.count, a.start, run.end, run.plus);
      if (found) return { ...found, start: a.start, end: run.end };
    }
    // A card read out and then its expiry or CVV: the longest leading card-length part that checks out.
    if (run.plus || run.count <= MIN_CARD) return undefined;
    for (let k = run.cuts.length - 1; k >= 0; k--) {
      const cut = run.cuts[k]!;
      if (cut.count < MIN_CARD || cut.end === run.end) continue;
      const digits = run.digits.slice(0, cut.count);
      if (luhnValid(digits) && cardSchemeKnown(digits)) {
        const score = withContext(CARD_SCORE, this.near(run.start, cut.end, CARD_CONTEXT));
        return { entity: 'CREDIT_CARD', score, start: run.start, end: cut.end };
      }
    }
    return undefined;
  }
}

function scanSpoken(view: TextView): PiiSpan[] {
  const text = view.text;
  const lower = view.lower;
  const classifier = new Classifier(view);
  const spans: PiiSpan[] = [];
  let run: Run | undefined;
  /** A "double"/"triple" waiting for its digit. */
  let pending: { times: number; start: number } | undefined;
  /** Where a "plus" just before the current token starts, or -1. */
  let plusAt = -1;
  let prevEnd = -1;

  const close = () => {
    if (run) {
      const span = classifier.spanOf(run);
      if (span) spans.push(span);
    }
    run = undefined;
    pending = undefined;
    plusAt = -1;
  };

  const addDigits = (digits: string, start: number, end: number, spelled: boolean, word: string) => {
    if (!run) {
      run = newRun(plusAt === -1 ? start : plusAt, plusAt !== -1);
      plusAt = -1;
      if (word === 'oh' || word === 'o') run.leadingOh = 'plain';
    } else if (run.count > 0 && run.secondStart === -1) {
      run.secondStart = start;
      const gap = text.slice(run.end, start);
      if (run.leadingOh === 'plain' && /[,.!]/.test(gap)) run.leadingOh = 'punct';
    }
    append(run, digits, end, spelled);
    run.lastSingle = spelled && digits.length === 1 && word !== '';
  };

  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && !isLetter(c)) {
      i++;
      continue;
    }
    const start = i;
    let letters = 0;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (isLetter(d)) letters++;
      else if (!isDigit(d)) break;
      i++;
    }
    const end = i;
    const len = end - start;
    if (prevEnd === -1 || !gapJoins(text, prevEnd, start)) close();
    prevEnd = end;

    // Classify the token: a digit group, a word of the vocabulary, or anything else (which ends the run).
    let digits: string | undefined;
    let word = '';
    if (letters === 0) {
      if (len <= MAX_DIGIT_GROUP) digits = text.slice(start, end);
    } else if (letters === len && len <= MAX_WORD) {
      word = vocabularyAt(lower, start, len);
      digits = DIGIT_WORDS.get(word);
    }

    if (pending) {
      const p = pending;
      pending = undefined;
      if (digits !== undefined && digits.length === 1) {
        addDigits(digits.repeat(p.times), p.start, end, true, '');
        continue;
      }
      // "double check": the multiplier was a word, and the run ends before it.
      close();
    }

    if (digits !== undefined) {
      addDigits(digits, start, end, word !== '', word);
    } else if (MULTIPLIERS.has(word)) {
      pending = { times: MULTIPLIERS.get(word)!, start };
    } else if (SEPARATOR_WORDS.has(word) && run) {
      run.lastSingle = false;
    } else if (word === 'hundred' && run?.lastSingle) {
      // "one eight hundred ...": toll-free prefixes are read as hundreds.
      addDigits('00', start, end, true, '');
    } else if (word === 'plus') {
      close();
      plusAt = start;
    } else {
      close();
    }
  }
  close();
  return spans;
}

/** Card, SSN and phone numbers dictated as words in speech-to-text transcripts. */
export const spokenDigitsRecognizer: Recognizer = {
  name: 'spoken-digits',
  entities: ['CREDIT_CARD', 'PHONE_NUMBER', 'US_SSN'],
  applies: (view) => view.text.length >= 2 * MIN_DIGITS && GATE.test(view.lower),
  scan: scanSpoken,
};
