import { hasContext, withContext } from '../context.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

const CONTEXT = ['national insurance', 'ni number', 'nino', 'ni no'];

/** A NINO in capitals: its prefix and suffix rules make it distinctive. */
const UPPER_SCORE = 0.6;
/** Typed in lowercase it is easier to meet by chance ("to 12 34 56 a"): context decides. */
const LOWER_SCORE = 0.3;

/** Two letters, three pairs of digits, a suffix letter, single spaces optional; bounded, anchored on word edges. */
const NINO = /(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d](?![A-Za-z0-9])/g;

/** HMRC never issues these letters first or second, nor these prefixes. */
const BAD_FIRST = new Set('DFIQUV');
const BAD_SECOND = new Set('DFIOQUV');
const BAD_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

function ninoPrefixValid(prefix: string): boolean {
  const p = prefix.toUpperCase();
  return !BAD_FIRST.has(p[0] ?? '') && !BAD_SECOND.has(p[1] ?? '') && !BAD_PREFIXES.has(p);
}

function scanNinos(view: TextView): PiiSpan[] {
  const text = view.text;
  const spans: PiiSpan[] = [];
  NINO.lastIndex = 0;
  for (let m = NINO.exec(text); m !== null; m = NINO.exec(text)) {
    const found = m[0];
    if (!ninoPrefixValid(found.slice(0, 2))) continue;
    const start = m.index;
    const end = start + found.length;
    const upper = found === found.toUpperCase();
    const score = withContext(upper ? UPPER_SCORE : LOWER_SCORE, hasContext(view, start, end, CONTEXT));
    spans.push({ entity: 'UK_NINO', start, end, score });
  }
  NINO.lastIndex = 0;
  return spans;
}

/** UK National Insurance numbers (AB 12 34 56 C, AB123456C) under HMRC's prefix and suffix rules. */
export const ukNinoRecognizer: Recognizer = {
  name: 'uk-nino',
  entities: ['UK_NINO'],
  applies: (view) => view.digits >= 6,
  scan: scanNinos,
};
