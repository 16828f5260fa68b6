import type { CountryCode } from 'libphonenumber-js/max';
import { isDigit, isWordChar } from '../char-codes.js';
import { hasContext, withContext } from '../context.js';
import { cardSchemeKnown, luhnValid } from '../number-rules.js';
import { DEFAULT_PHONE_REGIONS, phoneValid } from '../phone-rules.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

const CONTEXT = ['phone', 'call', 'mobile', 'cell', 'tel', 'number', 'reach me', 'text me', 'whatsapp'];

/** Written like a phone number (international prefix, area code in parentheses, grouped national number) and valid. */
const STRONG_SCORE = 0.75;
/** Bare digits or a short grouping ("555-0123", "4155550123") are as often ids and amounts: context decides. */
const WEAK_SCORE = 0.4;

const MIN_DIGITS = 7;
const MAX_DIGITS = 15; // E.164
/** "+33 1 23 45 67 89" has six groups and one of a single digit; runs of many small groups are something else. */
const MAX_GROUPS = 7;
const MAX_SINGLE_DIGIT_GROUPS = 2;
/**
 * libphonenumber-js costs tens of microseconds a region; a text full of
 * digit groups would spend seconds. Past this many validations in one text
 * the rest of its candidates are skipped.
 */
const MAX_VALIDATIONS = 256;

/**
 * Regions for national numbers. Where numbers are dialled with a trunk 0
 * (GB, DE, FR, ...) libphonenumber also accepts them without it, which makes
 * any 8-digit run a German number; so a number starting with 0 is tried in
 * trunk-0 regions and one without in the regions whose numbers start so.
 */
const TRUNK_ZERO = new Set<CountryCode>(['GB', 'DE', 'FR', 'AU', 'NL', 'IT', 'IN']);
const NO_TRUNK = new Set<CountryCode>(['US', 'CA', 'ES', 'IT', 'IN']);
const TRUNK_ZERO_REGIONS = DEFAULT_PHONE_REGIONS.filter((r) => TRUNK_ZERO.has(r));
const NO_TRUNK_REGIONS = DEFAULT_PHONE_REGIONS.filter((r) => NO_TRUNK.has(r));
const NANP_REGIONS: readonly CountryCode[] = ['US', 'CA'];
// Indian mobiles are ten digits starting 6 to 9: the same shape.
const NANP_OR_INDIA: readonly CountryCode[] = ['US', 'CA', 'IN'];

/**
 * The regions worth asking libphonenumber-js about, from the number's shape:
 * each region costs a full parse, so a North American shape (ten digits
 * starting 2-9, or eleven starting 1) is tried only as US and Canada, and
 * as India when it starts 6-9.
 */
function regionsFor(digits: string): readonly CountryCode[] {
  if (digits.startsWith('0')) return TRUNK_ZERO_REGIONS;
  const n = digits.length;
  if (n === 10 && digits[0]! >= '6') return NANP_OR_INDIA;
  if ((n === 10 && digits[0]! >= '2') || (n === 11 && digits[0] === '1')) return NANP_REGIONS;
  return NO_TRUNK_REGIONS;
}

/** "v1.2.3", "version 2.10.1234", "ver: 12.34.5678": a version, not a number to call. */
const VERSION_BEFORE = /(?:^|[^a-z])v(?:er|ersion)?\s*[:=]?\s*$/;
/** The words that name an id right before a number: "order 4155550123", "tracking no. 7489 2345 6789". */
const ID_BEFORE =
  /(?:^|[^a-z])(?:order|tracking|invoice|ref|reference|booking|confirmation|ticket|case|serial|sku|transaction|shipment|parcel|package|po|receipt|account|acct|customer|member|id)(?:\s*(?:number|num|no\.?|code|id))?\s*(?:is|[:#=])?\s*$/;
/** Words that make the number something else: a part number, a passport, an account transfer. */
const OTHER_ID_CONTEXT =
  /(?:^|[^a-z])(?:pn|part|model|build|passport|iban|transfer ref|ssn|social security)[^.\n]{0,24}$/;

/**
 * True when the candidate continues something before it: a digit group
 * ("9400 1944 4611 9022 5930": a phone cannot be the tail of a longer
 * run) or a code glued with a dash ("INV-2023-156983").
 */
function gluedBefore(text: string, from: number): boolean {
  const p = text.charCodeAt(from - 1);
  const pp = text.charCodeAt(from - 2);
  const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (isAlnum(p)) return true;
  if (p === 45 && isAlnum(pp)) return true;
  return p === 32 && pp >= 48 && pp <= 57;
}

/** An extension after the number is not part of it but does not glue it to a word either. */
const EXTENSION_AFTER = /^(?:x|ext\.?|extension)\s?\d/i;

/** A maximal run of digits at [start, end). */
interface Group {
  start: number;
  end: number;
}

/**
 * The end of the separator run at `pos` joining two groups, or -1: an
 * optional `)`, one of space, dash or dot, an optional `(`, then a digit.
 * "(415) 555-0123", "+1 (415)555.0123", "020 7946 0958".
 */
function separatorEnd(text: string, pos: number): number {
  let j = pos;
  if (text.charCodeAt(j) === 41) j++;
  const c = text.charCodeAt(j);
  if (c === 32 || c === 45 || c === 46) j++;
  if (text.charCodeAt(j) === 40) j++;
  return j > pos && isDigit(text.charCodeAt(j)) ? j : -1;
}

/** Digit groups from `pos` (just after any leading `+` or `(`) joined by separator runs. */
function readGroups(text: string, pos: number): Group[] {
  const groups: Group[] = [];
  let i = pos;
  for (;;) {
    const start = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    groups.push({ start, end: i });
    const next = separatorEnd(text, i);
    if (next === -1) return groups;
    i = next;
  }
}

/** The text before the chain ties it to a word, an id sign, money, or a longer number (decimal, date, time). */
function gluedLeft(text: string, start: number): boolean {
  const p = text.charCodeAt(start - 1);
  if (Number.isNaN(p)) return false;
  if (isWordChar(p)) return true;
  const ch = text[start - 1] ?? '';
  if ('#$€£¥%&@'.includes(ch)) return true;
  return '.,:/-'.includes(ch) && isDigit(text.charCodeAt(start - 2));
}

function gluedRight(text: string, end: number): boolean {
  const n = text.charCodeAt(end);
  if (Number.isNaN(n)) return false;
  if (isWordChar(n)) return !EXTENSION_AFTER.test(text.slice(end, end + 12));
  if (n === 37) return true; // `%`
  return '.,:/'.includes(text[end] ?? '') && isDigit(text.charCodeAt(end + 1));
}

/** Three groups with the same separator reading as a date: 2024-03-14, 14.03.2024, 3 14 2024. */
function isDateTriple(text: string, g: readonly Group[], k: number): boolean {
  const a = g[k]!;
  const b = g[k + 1]!;
  const c = g[k + 2]!;
  const s1 = text.slice(a.end, b.start);
  if (s1.length !== 1 || s1 !== text.slice(b.end, c.start)) return false;
  const n = (x: Group) => Number(text.slice(x.start, x.end));
  const len = (x: Group) => x.end - x.start;
  const year = (v: number) => v >= 1900 && v <= 2099;
  const dayOrMonth = (v: number) => v >= 1 && v <= 31;
  if (len(a) === 4 && len(b) <= 2 && len(c) <= 2)
    return year(n(a)) && n(b) >= 1 && n(b) <= 12 && dayOrMonth(n(c));
  if (len(a) <= 2 && len(b) <= 2 && len(c) === 4) {
    return year(n(c)) && dayOrMonth(n(a)) && dayOrMonth(n(b)) && (n(a) <= 12 || n(b) <= 12);
  }
  return false;
}

/**
 * Shapes that are something else than a phone number: a decimal, a
 * version, an IPv4 address, a date, an SSN, a card number.
 */
function otherShape(text: string, g: readonly Group[], a: number, b: number, digits: string): boolean {
  const count = b - a + 1;
  const seps: string[] = [];
  for (let k = a; k < b; k++) seps.push(text.slice(g[k]!.end, g[k + 1]!.start));
  if (seps.length > 0 && seps.every((s) => s === '.')) {
    if (count === 2) return true; // 0.250750683890174
    if (count === 4 && g.slice(a, b + 1).every((x) => x.end - x.start <= 3)) return true; // 192.168.10.200
    if (g.slice(a, b + 1).some((x) => x.end - x.start === 1)) return true; // 2.10.1234
  }
  for (let k = a; k + 2 <= b; k++) if (isDateTriple(text, g, k)) return true;
  if (count === 3 && (seps[0] === '-' || seps[0] === ' ') && seps[0] === seps[1]) {
    const lens = g.slice(a, b + 1).map((x) => x.end - x.start);
    if (lens[0] === 3 && lens[1] === 2 && lens[2] === 4) return true; // 123-45-6789: the SSN recognizer's
  }
  return digits.length >= 13 && luhnValid(digits) && cardSchemeKnown(digits); // the card recognizer's
}

/** Parentheses are at most one pair, opened before closed, around one group of up to five digits. */
function parensBalanced(candidate: string): boolean {
  const open = candidate.indexOf('(');
  const close = candidate.indexOf(')');
  if (open === -1 && close === -1) return true;
  if (open === -1 || close === -1 || close < open) return false;
  if (candidate.indexOf('(', open + 1) !== -1 || candidate.indexOf(')', close + 1) !== -1) return false;
  const inside = candidate.slice(open + 1, close);
  return inside.length >= 1 && inside.length <= 5 && /^\d+$/.test(inside);
}

interface ScanState {
  view: TextView;
  validations: number;
  out: PiiSpan[];
  /** The last start judged by leftFree and its verdict: a chain's candidates share starts. */
  judgedFrom: number;
  judgedFree: boolean;
}

/** Nothing before `from` makes a number starting there a version, an id or the tail of something longer. */
function leftFree(state: ScanState, from: number): boolean {
  if (from === state.judgedFrom) return state.judgedFree;
  const text = state.view.text;
  // A number written with its country code (+44 ...) is a phone number whatever came before it: ids,
  // versions and references are never written that way. Only a letter or digit glued to the + keeps it.
  if (text.charCodeAt(from) === 43) {
    const p = text.charCodeAt(from - 1);
    const free = !((p >= 48 && p <= 57) || (p >= 65 && p <= 90) || (p >= 97 && p <= 122));
    state.judgedFrom = from;
    state.judgedFree = free;
    return free;
  }
  let free = !gluedBefore(text, from);
  if (free) {
    const before = state.view.lower.slice(Math.max(0, from - 32), from);
    free = !VERSION_BEFORE.test(before) && !ID_BEFORE.test(before) && !OTHER_ID_CONTEXT.test(before);
  }
  state.judgedFrom = from;
  state.judgedFree = free;
  return free;
}

/** Where a candidate starting at group `a` starts: the chain's `+` or `(`, or an area code's `(`. */
function candidateStart(text: string, chainStart: number, g: readonly Group[], a: number): number {
  if (a === 0) return chainStart;
  const first = g[a]!.start;
  return text.charCodeAt(first - 1) === 40 ? first - 1 : first;
}

/**
 * Checks one candidate and records it when it is a phone number; returns
 * whether it was. Cheapest tests first: the budget and the context test
 * gate the shape tests, which gate libphonenumber.
 */
function tryCandidate(state: ScanState, g: readonly Group[], a: number, b: number, start: number): boolean {
  if (state.validations >= MAX_VALIDATIONS) return false;
  const { view } = state;
  const text = view.text;
  const end = g[b]!.end;
  let from = start;
  // "(415-555-0123)": the closing parenthesis is after the number, so the opening one is not part of it either.
  if (text.charCodeAt(from) === 40 && !text.slice(from, end).includes(')')) from++;
  const candidate = text.slice(from, end);
  let digitCount = 0;
  for (let k = a; k <= b; k++) digitCount += g[k]!.end - g[k]!.start;
  const groups = b - a + 1;
  const international = candidate.startsWith('+') || candidate.startsWith('00');
  const strong =
    international ||
    candidate.includes('(') ||
    (groups >= 2 && digitCount >= 10) ||
    (groups >= 3 && digitCount >= 9);
  // A weak candidate without context would be dropped anyway: no work is spent on it.
  // A strong one is looked at in context only once it is known to be a phone.
  const weakContext = !strong && hasContext(view, from, end, CONTEXT);
  if (!strong && !weakContext) return false;
  if (!parensBalanced(candidate)) return false;
  let digits = '';
  for (let k = a; k <= b; k++) digits += text.slice(g[k]!.start, g[k]!.end);
  if (!international && otherShape(text, g, a, b, digits)) return false;
  if (!leftFree(state, from)) return false;
  state.validations++;
  const regions = regionsFor(digits);
  if (!phoneValid(candidate, regions)) return false;
  state.out.push({
    entity: 'PHONE_NUMBER',
    start: from,
    end,
    score: strong
      ? withContext(STRONG_SCORE, hasContext(view, from, end, CONTEXT))
      : withContext(WEAK_SCORE, true),
  });
  return true;
}

/**
 * Candidates in one chain of groups. A chain may hold a number and what
 * surrounds it ("+44 20 7946 0958 2 times"), or two numbers; it is cut only
 * where a separator holds a space, so a dashed or dotted run is taken whole
 * or not at all. Each start tries the ends giving 7 to 15 digits, longest
 * first: a bounded number per start, linear in the chain.
 */
function phonesInChain(state: ScanState, chainStart: number, g: readonly Group[]): void {
  const text = state.view.text;
  const last = g.length - 1;
  const soft = (k: number) => {
    for (let i = g[k]!.end; i < g[k + 1]!.start; i++) if (text.charCodeAt(i) === 32) return true;
    return false;
  };
  const leftFree = !gluedLeft(text, chainStart);
  const rightFree = !gluedRight(text, g[last]!.end);
  const opens = (k: number) => (k === 0 ? leftFree : soft(k - 1));
  const closes = (k: number) => (k === last ? rightFree : soft(k));
  let a = 0;
  while (a <= last) {
    if (!opens(a)) {
      a++;
      continue;
    }
    const ends: number[] = [];
    let count = 0;
    let singles = 0;
    for (let b = a; b <= last && b - a < MAX_GROUPS; b++) {
      const len = g[b]!.end - g[b]!.start;
      count += len;
      if (len === 1) singles++;
      if (count > MAX_DIGITS || singles > MAX_SINGLE_DIGIT_GROUPS) break;
      if (count >= MIN_DIGITS && closes(b)) ends.push(b);
    }
    let matched = -1;
    const start = candidateStart(text, chainStart, g, a);
    for (let k = ends.length - 1; k >= 0 && matched === -1; k--) {
      if (tryCandidate(state, g, a, ends[k]!, start)) matched = ends[k]!;
    }
    a = matched === -1 ? a + 1 : matched + 1;
  }
}

function scanPhones(view: TextView): PiiSpan[] {
  const text = view.text;
  const runs = view.digitRuns;
  const state: ScanState = { view, validations: 0, out: [], judgedFrom: -1, judgedFree: false };
  let done = 0; // where the last chain ended: its runs are read
  for (let r = 0; r < runs.length; r += 2) {
    const pos = runs[r]!;
    if (pos < done) continue;
    // Past the budget nothing more can be found: stop reading.
    if (state.validations >= MAX_VALIDATIONS) break;
    // The chain's digit count from the runs alone: most chains (a time, a price, a count) are too short.
    let digits = 0;
    let k = r;
    for (;;) {
      digits += runs[k + 1]! - runs[k]!;
      if (k + 2 >= runs.length || separatorEnd(text, runs[k + 1]!) !== runs[k + 2]) break;
      k += 2;
    }
    if (digits < MIN_DIGITS) {
      done = runs[k + 1]!;
      continue;
    }
    // The chain starts at a `+`, a `(` or `+(` right before the digits.
    let i = pos;
    if (text.charCodeAt(i - 1) === 40) i--;
    if (text.charCodeAt(i - 1) === 43) i--;
    const groups = readGroups(text, pos);
    phonesInChain(state, i, groups);
    done = groups[groups.length - 1]!.end;
  }
  return state.out;
}

/**
 * Phone numbers: digit groups with spaces, dashes, dots and parentheses,
 * 7 to 15 digits, checked by libphonenumber-js; other number shapes
 * (dates, decimals, versions, SSNs, cards) are left out.
 */
export const phoneRecognizer: Recognizer = {
  name: 'phone',
  entities: ['PHONE_NUMBER'],
  applies: (view) => view.digits >= MIN_DIGITS,
  scan: scanPhones,
};
