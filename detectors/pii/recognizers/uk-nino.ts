import { isLetter } from '../char-codes.js';
import { hasContext, withContext } from '../context.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

const CONTEXT = ['national insurance', 'ni number', 'nino', 'ni no'];

/** A NINO in capitals: its prefix and suffix rules make it distinctive. */
const UPPER_SCORE = 0.6;
/** Typed in lowercase it is easier to meet by chance ("to 12 34 56 a"): context decides. */
const LOWER_SCORE = 0.3;

/**
 * Two letters, three pairs of digits, a suffix letter, single spaces
 * optional; bounded, anchored on word edges. Tried (sticky) only two or
 * three characters before a digit run, where the prefix letters would be.
 */
const NINO = /(?<![A-Za-z0-9])[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d](?![A-Za-z0-9])/y;

/** HMRC never issues these letters first or second, nor these prefixes. */
const BAD_FIRST = new Set('DFIQUV');
const BAD_SECOND = new Set('DFIOQUV');
const BAD_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

function ninoPrefixValid(prefix: string): boolean {
  const p = prefix.toUpperCase();
  return !BAD_FIRST.has(p[0] ?? '') && !BAD_SECOND.has(p[1] ?? '') && !BAD_PREFIXES.has(p);
}

function ninoAt(view: TextView, start: number, out: PiiSpan[]): number {
  NINO.lastIndex = start;
  const m = NINO.exec(view.text);
  if (m === null) return -1;
  const found = m[0];
  if (!ninoPrefixValid(found.slice(0, 2))) return -1;
  const end = start + found.length;
  const upper = found === found.toUpperCase();
  const score = withContext(upper ? UPPER_SCORE : LOWER_SCORE, hasContext(view, start, end, CONTEXT));
  out.push({ entity: 'UK_NINO', start, end, score });
  return end;
}

/**
 * The pattern is tried only where its shape allows: the digit run holds one,
 * two or three of the pairs (2, 4 or 6 digits), and the prefix letters stand
 * right before it ("AB123456C") or before one space ("AB 12 34 56 C").
 */
function scanNinos(view: TextView): PiiSpan[] {
  const text = view.text;
  const runs = view.digitRuns;
  const spans: PiiSpan[] = [];
  let done = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const at = runs[r]!;
    const len = runs[r + 1]! - at;
    if (at - 2 < done || (len !== 2 && len !== 4 && len !== 6) || !isLetter(text.charCodeAt(at - 2)))
      continue;
    const before = text.charCodeAt(at - 1);
    let end = -1;
    if (isLetter(before)) end = ninoAt(view, at - 2, spans);
    else if (before === 32 && at >= 3 + done && isLetter(text.charCodeAt(at - 3)))
      end = ninoAt(view, at - 3, spans);
    if (end !== -1) done = end;
  }
  return spans;
}

/** UK National Insurance numbers (AB 12 34 56 C, AB123456C) under HMRC's prefix and suffix rules. */
export const ukNinoRecognizer: Recognizer = {
  name: 'uk-nino',
  entities: ['UK_NINO'],
  applies: (view) => view.digits >= 6,
  scan: scanNinos,
};
