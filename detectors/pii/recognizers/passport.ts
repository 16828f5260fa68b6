import { hasContext, withContext } from '../context.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

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

function scanPassports(view: TextView): PiiSpan[] {
  const text = view.text;
  const spans: PiiSpan[] = [];
  PASSPORT.lastIndex = 0;
  for (let m = PASSPORT.exec(text); m !== null; m = PASSPORT.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!hasContext(view, start, end, CONTEXT)) continue;
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
