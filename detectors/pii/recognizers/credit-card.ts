import { isDigit, isWordChar } from '../char-codes.js';
import { hasContext, withContext } from '../context.js';
import { cardSchemeKnown, luhnValid } from '../number-rules.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

const CONTEXT = ['card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'cc', 'payment'];

/** A Luhn-valid number of a known scheme; with context it is certain. */
const SCHEME_SCORE = 0.9;
/** Luhn-valid but no known prefix: one random number in ten passes Luhn, so it needs context. */
const UNKNOWN_SCHEME_SCORE = 0.3;

const MIN_DIGITS = 12;
const MAX_DIGITS = 19;
/** Groups of a written card number: 4-4-4-4, 4-6-5 (Amex), 4-6-4 (Diners), 4-4-4-4-3 ... */
const MIN_GROUP = 3;
const MAX_GROUP = 8;
const MAX_GROUPS = 5;

/** A maximal run of digits at [start, end); `sep` is the one character joining it to the next group. */
interface Group {
  start: number;
  end: number;
  sep: string;
}

/**
 * The digit groups joined by single spaces or dashes starting at `i`, or
 * none when the run is glued to a word or a longer number on the left.
 */
function readChain(text: string, i: number): { groups: Group[]; next: number } {
  const groups: Group[] = [];
  let pos = i;
  for (;;) {
    let end = pos;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
    const sep = text[end] ?? '';
    const joined = (sep === ' ' || sep === '-') && isDigit(text.charCodeAt(end + 1));
    groups.push({ start: pos, end, sep: joined ? sep : '' });
    if (!joined) return { groups, next: end };
    pos = end + 1;
  }
}

/** True when the text before `start` makes the run part of something else (a word, a decimal, a phone's `+`). */
function gluedLeft(text: string, start: number): boolean {
  const p = text.charCodeAt(start - 1);
  if (Number.isNaN(p)) return false;
  if (isWordChar(p) || p === 43) return true; // `+` starts a phone number
  // `.`, `,`, `/`, `:` between digits: a decimal, a date or a time.
  return (p === 46 || p === 44 || p === 47 || p === 58) && isDigit(text.charCodeAt(start - 2));
}

function gluedRight(text: string, end: number): boolean {
  const n = text.charCodeAt(end);
  if (Number.isNaN(n)) return false;
  if (isWordChar(n)) return true;
  return (n === 46 || n === 44 || n === 47 || n === 58) && isDigit(text.charCodeAt(end + 1));
}

function digitsOf(text: string, groups: readonly Group[], a: number, b: number): string {
  let out = '';
  for (let k = a; k <= b; k++) out += text.slice(groups[k]!.start, groups[k]!.end);
  return out;
}

function groupsShaped(groups: readonly Group[], a: number, b: number): boolean {
  if (a === b) return true; // written without separators
  if (b - a + 1 > MAX_GROUPS) return false;
  for (let k = a; k <= b; k++) {
    const len = groups[k]!.end - groups[k]!.start;
    if (len < MIN_GROUP || len > MAX_GROUP) return false;
  }
  return true;
}

/**
 * Finds the card numbers in one chain of groups. A chain may hold several
 * numbers, or a number and its CVV, side by side with spaces; dashes bind
 * groups into one token, so a chain is only cut at spaces. Each start tries
 * at most the few ends that give 12 to 19 digits: linear in the chain.
 */
function cardsInChain(
  view: TextView,
  groups: readonly Group[],
  glued: { left: boolean; right: boolean },
  out: PiiSpan[],
): void {
  const text = view.text;
  const last = groups.length - 1;
  // Where a number may end: at a space, or at the chain's end unless a word or a longer number follows.
  const cut = (k: number) => (k >= last ? !glued.right : groups[k]!.sep === ' ');
  // Where a number may start: after a space, or at the chain's start unless glued to what precedes it.
  const opens = (k: number) => (k === 0 ? !glued.left : groups[k - 1]!.sep === ' ');
  let a = 0;
  while (a <= last && !opens(a)) a++;
  while (a < groups.length) {
    let found = -1;
    let digitCount = 0;
    let lastEnd = -1;
    for (let b = a; b < groups.length; b++) {
      digitCount += groups[b]!.end - groups[b]!.start;
      if (digitCount > MAX_DIGITS) break;
      if (digitCount >= MIN_DIGITS && cut(b)) lastEnd = b;
    }
    // Longest first: a 19-digit number is not cut to its first 16 digits.
    for (let b = lastEnd; b >= a && found === -1; b--) {
      if (!cut(b) || !groupsShaped(groups, a, b)) continue;
      const digits = digitsOf(text, groups, a, b);
      if (digits.length < MIN_DIGITS || !luhnValid(digits)) continue;
      const start = groups[a]!.start;
      const end = groups[b]!.end;
      const base = cardSchemeKnown(digits) ? SCHEME_SCORE : UNKNOWN_SCHEME_SCORE;
      out.push({
        entity: 'CREDIT_CARD',
        start,
        end,
        score: withContext(base, hasContext(view, start, end, CONTEXT)),
      });
      found = b;
    }
    if (found !== -1) {
      a = found + 1;
      continue;
    }
    a++;
    while (a <= last && !opens(a)) a++;
  }
}

function scanCards(view: TextView): PiiSpan[] {
  const text = view.text;
  const runs = view.digitRuns;
  const spans: PiiSpan[] = [];
  let done = 0; // where the last chain ended: its runs are read
  for (let r = 0; r < runs.length; r += 2) {
    const i = runs[r]!;
    if (i < done) continue;
    // The chain's digit count from the runs alone: most chains are too short to hold a card.
    let digits = 0;
    let k = r;
    for (;;) {
      digits += runs[k + 1]! - runs[k]!;
      const sep = text.charCodeAt(runs[k + 1]!);
      if (k + 2 >= runs.length || runs[k + 2] !== runs[k + 1]! + 1 || (sep !== 32 && sep !== 45)) break;
      k += 2;
    }
    if (digits < MIN_DIGITS) {
      done = runs[k + 1]! + 1;
      continue;
    }
    const { groups, next } = readChain(text, i);
    cardsInChain(view, groups, { left: gluedLeft(text, i), right: gluedRight(text, next) }, spans);
    done = next + 1;
  }
  return spans;
}

/** Payment card numbers: 12 to 19 digits, grouped by single spaces or dashes, Luhn-checked. */
export const creditCardRecognizer: Recognizer = {
  name: 'credit-card',
  entities: ['CREDIT_CARD'],
  applies: (view) => view.digits >= MIN_DIGITS,
  scan: scanCards,
};
