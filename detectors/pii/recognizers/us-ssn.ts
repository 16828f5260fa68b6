import { isDigit } from '../char-codes.js';
import { hasContext, withContext } from '../context.js';
import { ssnDigitsValid } from '../number-rules.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

const CONTEXT = ['ssn', 'social security', 'social', 'ss#', 'tax id'];

/** 123-45-6789 and 123 45 6789: the SSA's own grouping, rare for anything else. */
const GROUPED_SCORE = 0.6;
/** Nine bare digits are as often an order or account number: only context makes them an SSN. */
const COMPACT_SCORE = 0.3;

/** Bounded and anchored on word edges; tried (sticky) only where a digit run of the first group's length starts. */
const GROUPED = /(?<![\w])\d{3}([- ])\d{2}\1\d{4}(?!\w)/y;
const COMPACT = /(?<![\w])\d{9}(?!\w)/y;

/** Separators that join digit groups into a longer number (a phone's 3-3-4, a decimal, a date). */
function isJoiner(c: number): boolean {
  // space - . / : , ( )
  return c === 32 || c === 45 || c === 46 || c === 47 || c === 58 || c === 44 || c === 40 || c === 41;
}

/**
 * True when the match is one part of a longer grouping: digits (or a
 * phone's `+` or closing parenthesis) one separator away on either side.
 */
function partOfLonger(text: string, start: number, end: number): boolean {
  const p = text.charCodeAt(start - 1);
  if (p === 43 || p === 41) return true; // `+44 ...`, `(555)...`
  if (isJoiner(p)) {
    const pp = text.charCodeAt(start - 2);
    if (isDigit(pp) || pp === 41 || pp === 43) return true;
  }
  const n = text.charCodeAt(end);
  return isJoiner(n) && n !== 40 && n !== 41 && isDigit(text.charCodeAt(end + 1));
}

function scanSsns(view: TextView): PiiSpan[] {
  const text = view.text;
  const runs = view.digitRuns;
  const spans: PiiSpan[] = [];
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r]!;
    const len = runs[r + 1]! - start;
    const pattern = len === 3 ? GROUPED : len === 9 ? COMPACT : null;
    if (pattern === null) continue;
    pattern.lastIndex = start;
    const m = pattern.exec(text);
    if (m === null) continue;
    const end = start + m[0].length;
    if (partOfLonger(text, start, end)) continue;
    const digits = len === 9 ? m[0] : m[0].replace(/[- ]/g, '');
    if (!ssnDigitsValid(digits)) continue;
    const base = len === 9 ? COMPACT_SCORE : GROUPED_SCORE;
    spans.push({
      entity: 'US_SSN',
      start,
      end,
      score: withContext(base, hasContext(view, start, end, CONTEXT)),
    });
  }
  return spans;
}

/** US Social Security numbers: grouped 3-2-4 with dashes or spaces, or nine digits with context. */
export const usSsnRecognizer: Recognizer = {
  name: 'us-ssn',
  entities: ['US_SSN'],
  applies: (view) => view.digits >= 9,
  scan: scanSsns,
};
