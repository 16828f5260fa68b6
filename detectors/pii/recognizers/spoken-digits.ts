import { isDigit, isLetter } from '../char-codes.js';
import { hasContext, withContext } from '../context.js';
import type { PiiEntity } from '../entities.js';
import { cardSchemeKnown, luhnValid, ssnDigitsValid } from '../number-rules.js';
import { phoneValid } from '../phone-rules.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import { DIGIT_WORDS, MULTIPLIERS } from '../spelled-digits.js';
import type { TextView } from '../text-view.js';

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

/** Words read between groups that keep the run going without adding a digit. */
const SEPARATOR_WORDS: ReadonlySet<string> = new Set(['dash', 'hyphen']);

/** Digit words and multipliers but "o". */
const SPELLED = 'zero|one|two|three|four|five|six|seven|eight|nine|oh|nought|double|triple';
/**
 * A digit word or multiplier, a joining gap, and the start of a token a run
 * can hold, in the lowercased text: where a pair of run tokens may be (see
 * nextPair, which checks that they are whole tokens). Only "o" is bounded
 * here, or every "to" and "so" would be a match; the bounds let "k" through,
 * as a Kelvin sign lowercases to it.
 */
const PAIR = new RegExp(
  `(?:${SPELLED}|o(?<![a-jl-z0-9]o))[ \\t,.\\-\\u2013\\u2014]{1,4}` +
    `(?:[0-9]|${SPELLED}|o(?![a-jl-z0-9])|dash|hyphen|hundred)`,
  'g',
);

/** A word this recognizer reads, with what it adds to a run. */
interface Word {
  readonly text: string;
  /** The digit a digit word stands for. */
  readonly digit: string | undefined;
  /** How many times a multiplier repeats the digit after it, else 0. */
  readonly times: number;
}

/** Any token that is no word of the vocabulary. */
const NO_WORD: Word = { text: '', digit: undefined, times: 0 };
/** A token of at most MAX_DIGIT_GROUP ASCII digits (see tokenRole). */
const DIGIT_GROUP: Word = { text: '', digit: undefined, times: 0 };

/**
 * The words by length and first letter, WORDS_AT[len * 26 + letter - 97], so
 * a token is compared in place, with a word or two, rather than cut out.
 */
const WORDS_AT: readonly (readonly Word[])[] = (() => {
  const texts = [...DIGIT_WORDS.keys(), ...MULTIPLIERS.keys(), ...SEPARATOR_WORDS, 'hundred', 'plus'];
  const table: Word[][] = Array.from({ length: (MAX_WORD + 1) * 26 }, () => []);
  for (const text of texts) {
    const word = { text, digit: DIGIT_WORDS.get(text), times: MULTIPLIERS.get(text) ?? 0 };
    table[text.length * 26 + text.charCodeAt(0) - 97]!.push(word);
  }
  return table;
})();

/** The word that is the whole token of `len` letters at `start` in the lowercased text, or NO_WORD. */
function vocabularyAt(lower: string, start: number, len: number): Word {
  if (len > MAX_WORD) return NO_WORD;
  for (const w of WORDS_AT[len * 26 + lower.charCodeAt(start) - 97]!) {
    // Compared a character at a time: startsWith costs more than these few comparisons.
    let k = 1;
    while (k < len && lower.charCodeAt(start + k) === w.text.charCodeAt(k)) k++;
    if (k === len) return w;
  }
  return NO_WORD;
}

/** Space, tab, comma, hyphen, period, en dash, em dash. */
function isGapChar(c: number): boolean {
  return c === 32 || c === 9 || c === 44 || c === 45 || c === 46 || c === 0x2013 || c === 0x2014;
}

/** Between two tokens of a run: 1 to MAX_GAP spaces, tabs, commas, periods or dashes. */
function gapJoins(text: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > MAX_GAP) return false;
  for (let i = from; i < to; i++) if (!isGapChar(text.charCodeAt(i))) return false;
  return true;
}

function isTokenChar(c: number): boolean {
  return isLetter(c) || isDigit(c);
}

/** What the token [start, end) is to a run: DIGIT_GROUP, its word, or NO_WORD. */
function tokenRole(text: string, lower: string, start: number, end: number): Word {
  let letters = 0;
  for (let i = start; i < end; i++) if (isLetter(text.charCodeAt(i))) letters++;
  if (letters === 0) return end - start <= MAX_DIGIT_GROUP ? DIGIT_GROUP : NO_WORD;
  return letters === end - start ? vocabularyAt(lower, start, end - start) : NO_WORD;
}

/** A token a run can hold: a digit group, a digit word, a multiplier, a separator word or "hundred". */
function isRunToken(role: Word): boolean {
  return role !== NO_WORD && role.text !== 'plus';
}

/**
 * The next digit word or multiplier at or after `from` (a token start) that
 * is a whole token followed, across a joining gap, by a token a run can hold.
 *
 * Every reported run holds one: it holds two spelled digits, so two digit
 * words, a multiplier and its digit, or a digit word and "hundred", and the
 * first of these is followed by another token of the run. So a text where
 * digit words only appear inside other words ("someone", "phone") or alone
 * ("one of them") holds no run.
 */
function nextPair(text: string, lower: string, from: number): number {
  PAIR.lastIndex = from;
  // test rather than exec, which builds an array per match: the match is found again from where it ends.
  while (PAIR.test(lower)) {
    // It ends inside the second token, after the gap, which follows the word.
    let next = PAIR.lastIndex;
    while (isTokenChar(text.charCodeAt(next - 1))) next--;
    let end = next;
    while (isGapChar(text.charCodeAt(end - 1))) end--;
    let start = end;
    while (start > 0 && end - start <= MAX_WORD && isTokenChar(text.charCodeAt(start - 1))) start--;
    // What follows is read from `next` on, whatever this match was.
    PAIR.lastIndex = next;
    if (start > 0 && isTokenChar(text.charCodeAt(start - 1))) continue;
    const word = tokenRole(text, lower, start, end);
    if (word.digit === undefined && word.times === 0) continue;
    let nextEnd = next;
    while (nextEnd < text.length && nextEnd - next <= MAX_WORD && isTokenChar(text.charCodeAt(nextEnd)))
      nextEnd++;
    if (nextEnd < text.length && isTokenChar(text.charCodeAt(nextEnd))) continue;
    if (isRunToken(tokenRole(text, lower, next, nextEnd))) return start;
  }
  return -1;
}

/** The first pair of the text: none before its first spelled digit word, which TextView found in its one pass. */
function firstPairOf(view: TextView): number {
  const from = view.firstSpelledDigit;
  return from === -1 ? -1 : nextPair(view.text, view.lower, from);
}

/**
 * Where the run tokens joined to the token at `start` begin, walking back: the
 * first of them, or a "plus" just before it. Any other token before them, or
 * a gap that does not join, ends every run, so reading starts there afresh.
 */
function chainStart(text: string, lower: string, start: number): number {
  for (;;) {
    let to = start;
    while (to > 0 && start - to <= MAX_GAP && isGapChar(text.charCodeAt(to - 1))) to--;
    if (to === start || start - to > MAX_GAP || to === 0 || !isTokenChar(text.charCodeAt(to - 1)))
      return start;
    let from = to;
    while (from > 0 && to - from <= MAX_WORD && isTokenChar(text.charCodeAt(from - 1))) from--;
    if (from > 0 && isTokenChar(text.charCodeAt(from - 1))) return start;
    const role = tokenRole(text, lower, from, to);
    if (role.text === 'plus') return from;
    if (!isRunToken(role)) return start;
    start = from;
  }
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
  /** For each digit token while count <= MAX_CARD: its end offset and the digit count so far, flat. */
  cuts: number[];
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
  const room = KEEP_DIGITS - run.digits.length;
  if (room > 0) run.digits += digits.length <= room ? digits : digits.slice(0, room);
  run.count += digits.length;
  run.end = end;
  if (spelled) run.spelled += digits.length;
  if (run.count <= MAX_CARD) run.cuts.push(end, run.count);
}

/** Dictation is mostly words: a typed number with a stray "one" after it is the phone or card recognizer's. */
function mayReport(run: Run): boolean {
  return run.spelled >= 2 && run.spelled * 4 >= run.count && run.count >= MIN_DIGITS;
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
  private phoneCache: Map<string, boolean> | undefined;

  constructor(private readonly view: TextView) {}

  /** Context near the span, read as every recognizer reads it (words start at a word boundary). */
  private near(start: number, end: number, words: readonly string[]): boolean {
    return hasContext(this.view, start, end, words);
  }

  private phone(candidate: string): boolean {
    this.phoneCache ??= new Map();
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

  /** The run read whole, or without its leading "oh", as a span, or undefined. */
  private attempt(run: Run, withoutOh: boolean): PiiSpan | undefined {
    const start = withoutOh ? run.secondStart : run.start;
    const found = withoutOh
      ? this.classify(run.digits.slice(1), run.count - 1, start, run.end, run.plus)
      : this.classify(run.digits, run.count, start, run.end, run.plus);
    // Spelled out rather than spread: spreading costs more than the rest of the classification.
    return found && { entity: found.entity, score: found.score, start, end: run.end };
  }

  /** The span of a finished run that mayReport, trying it without a leading "oh" and, for cards, without what follows. */
  spanOf(run: Run): PiiSpan | undefined {
    const canDropOh = run.leadingOh !== 'none' && run.secondStart !== -1;
    // "oh, five five five ..." is an interjection; "oh five five ..." may be a leading zero.
    const span =
      canDropOh && run.leadingOh === 'punct'
        ? (this.attempt(run, true) ?? this.attempt(run, false))
        : (this.attempt(run, false) ?? (canDropOh ? this.attempt(run, true) : undefined));
    if (span) return span;
    // A card read out and then its expiry or CVV: the longest leading card-length part that checks out.
    if (run.plus || run.count <= MIN_CARD) return undefined;
    for (let k = run.cuts.length - 2; k >= 0; k -= 2) {
      const end = run.cuts[k]!;
      const count = run.cuts[k + 1]!;
      if (count < MIN_CARD || end === run.end) continue;
      const digits = run.digits.slice(0, count);
      if (luhnValid(digits) && cardSchemeKnown(digits)) {
        const score = withContext(CARD_SCORE, this.near(run.start, end, CARD_CONTEXT));
        return { entity: 'CREDIT_CARD', score, start: run.start, end };
      }
    }
    return undefined;
  }
}

function scanSpoken(view: TextView): PiiSpan[] {
  const text = view.text;
  const lower = view.lower;
  // Made when a run may be reported, which most scans never see.
  let classifier: Classifier | undefined;
  const spans: PiiSpan[] = [];
  let run: Run | undefined;
  /** A "double"/"triple" waiting for its digit. */
  let pending: { times: number; start: number } | undefined;
  /** Where a "plus" just before the current token starts, or -1. */
  let plusAt = -1;

  const close = () => {
    if (run && mayReport(run)) {
      classifier ??= new Classifier(view);
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
      if (run.leadingOh === 'plain' && /[,.!]/.test(text.slice(run.end, start))) run.leadingOh = 'punct';
    }
    append(run, digits, end, spelled);
    run.lastSingle = spelled && digits.length === 1 && word !== '';
  };

  // Any other token, or a gap that does not join, ends every run: only the stretches around pairs are read.
  let i = 0;
  const first = view === firstPairView ? firstPair : firstPairOf(view);
  firstPairView = undefined;
  for (let pair = first; pair !== -1; pair = nextPair(text, lower, i)) {
    let prevEnd = -1;
    i = chainStart(text, lower, pair);
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

      // Classify the token: a digit group, a word of the vocabulary, or anything else (which ends the run).
      let digits: string | undefined;
      let word = NO_WORD;
      if (letters === 0) {
        if (len <= MAX_DIGIT_GROUP) digits = text.slice(start, end);
      } else if (letters === len) {
        word = vocabularyAt(lower, start, len);
        digits = word.digit;
      }
      if (
        prevEnd !== -1 &&
        ((digits === undefined && (word === NO_WORD || word.text === 'plus')) ||
          !gapJoins(text, prevEnd, start))
      ) {
        // The stretch ends; this token may open the next one.
        i = start;
        break;
      }
      prevEnd = end;

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
        addDigits(digits, start, end, word !== NO_WORD, word.text);
      } else if (word.times > 0) {
        pending = { times: word.times, start };
      } else if (SEPARATOR_WORDS.has(word.text) && run) {
        run.lastSingle = false;
      } else if (word.text === 'hundred' && run?.lastSingle) {
        // "one eight hundred ...": toll-free prefixes are read as hundreds.
        addDigits('00', start, end, true, '');
      } else if (word.text === 'plus') {
        close();
        plusAt = start;
      } else {
        close();
      }
    }
    close();
  }
  return spans;
}

/**
 * The first pair in the view `applies` last passed, for `scan` to start from
 * rather than read the text up to it again. Cleared once used, so no text is
 * held on to.
 */
let firstPairView: TextView | undefined;
let firstPair = -1;

/** Card, SSN and phone numbers dictated as words in speech-to-text transcripts. */
export const spokenDigitsRecognizer: Recognizer = {
  name: 'spoken-digits',
  entities: ['CREDIT_CARD', 'PHONE_NUMBER', 'US_SSN'],
  applies: (view) => {
    firstPairView = undefined;
    if (view.text.length < 2 * MIN_DIGITS) return false;
    firstPair = firstPairOf(view);
    if (firstPair === -1) return false;
    firstPairView = view;
    return true;
  },
  scan: scanSpoken,
};
