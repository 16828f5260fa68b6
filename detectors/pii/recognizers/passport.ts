import { CONTEXT_AFTER, CONTEXT_BEFORE, hasContext, withContext } from '../context.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import { TextView } from '../text-view.js';

/** "passport number" and "passport no" hold it too. */
const CONTEXT = ['passport'];

/**
 * Passport numbers have no checksum and look like any reference number, so
 * only a nearby "passport" makes one: the base is never reported alone,
 * and with context it passes the threshold.
 */
const BASE_SCORE = 0.4;

/**
 * Nine digits (US, UK), one or two letters and six to eight digits (US next generation, many EU
 * books), two digits, two letters and five digits (France), or nine of Germany's letters and digits.
 */
const PASSPORT =
  /(?<![A-Za-z0-9])(?:\d{9}|[A-Za-z]{1,2}\d{6,8}|\d{2}[A-Z]{2}\d{5}|[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8})(?![A-Za-z0-9])/g;

/** hasContext on a window around the match: on the whole text its indexOf runs to the end for every absent word. */
function nearContext(view: TextView, start: number, end: number): boolean {
  const from = Math.max(0, start - CONTEXT_BEFORE);
  const to = Math.min(view.text.length, end + CONTEXT_AFTER);
  return hasContext(new TextView(view.lower.slice(from, to)), start - from, end - from, CONTEXT);
}

function scanPassports(view: TextView): PiiSpan[] {
  const text = view.text;
  const spans: PiiSpan[] = [];
  PASSPORT.lastIndex = 0;
  for (let m = PASSPORT.exec(text); m !== null; m = PASSPORT.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!nearContext(view, start, end)) continue;
    spans.push({ entity: 'PASSPORT', start, end, score: withContext(BASE_SCORE, true) });
  }
  PASSPORT.lastIndex = 0;
  return spans;
}

/** Passport numbers, reported only next to the word "passport". */
export const passportRecognizer: Recognizer = {
  name: 'passport',
  entities: ['PASSPORT'],
  applies: (view) => view.digits >= 6 && view.lower.includes('passport'),
  scan: scanPassports,
};
