import { isDigit, isLetter } from '../char-codes.js';
import { IBAN_LENGTHS, ibanValid } from '../number-rules.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

/** ISO 13616 caps an IBAN at 34 characters; reading stops there, so each start costs a bounded amount. */
const MAX_IBAN = 34;
/** The two check digits plus a BBAN that is mostly digits (a Dutch IBAN has 12); under 10 digits, no IBAN. */
const MIN_DIGITS = 10;

function isAlnum(c: number): boolean {
  return isDigit(c) || isLetter(c);
}

/** The country of an IBAN starting at `i` (two letters, two check digits), or undefined. */
function countryAt(text: string, i: number): string | undefined {
  if (!isLetter(text.charCodeAt(i)) || !isLetter(text.charCodeAt(i + 1))) return undefined;
  if (!isDigit(text.charCodeAt(i + 2)) || !isDigit(text.charCodeAt(i + 3))) return undefined;
  if (i > 0 && isAlnum(text.charCodeAt(i - 1))) return undefined;
  const country = text.slice(i, i + 2).toUpperCase();
  return IBAN_LENGTHS[country] === undefined ? undefined : country;
}

/**
 * Reads `length` IBAN characters from `start`, skipping single spaces
 * between them (print form groups by four, but people group as they like).
 * Returns the compact uppercase IBAN and where its last character ends in
 * the text, or undefined when the text runs out of characters first.
 */
function readIban(text: string, start: number, length: number): { compact: string; end: number } | undefined {
  let compact = '';
  let i = start;
  while (compact.length < length && i < text.length) {
    const c = text.charCodeAt(i);
    if (isAlnum(c)) {
      compact += text[i];
      i++;
    } else if (c === 32 && compact.length > 0 && isAlnum(text.charCodeAt(i + 1))) {
      i++;
    } else {
      break;
    }
  }
  if (compact.length < length) return undefined;
  return { compact: compact.toUpperCase(), end: i };
}

/** An IBAN starts a word (two letters, then its check digits), so only words holding a digit are tried. */
function scanIbans(view: TextView): PiiSpan[] {
  const text = view.text;
  const words = view.digitWords;
  const spans: PiiSpan[] = [];
  let done = 0; // where the last IBAN ended: words inside it are read
  for (let w = 0; w < words.length; w += 2) {
    const i = words[w]!;
    if (i < done) continue;
    const country = countryAt(text, i);
    if (country === undefined) continue;
    // Trimmed to the country's length: what follows after a space ("... 32 and then") is not part of it.
    const length = Math.min(IBAN_LENGTHS[country]!, MAX_IBAN);
    const read = readIban(text, i, length);
    // A character glued to the last one means the text cut a longer token, not an IBAN.
    if (read && !isAlnum(text.charCodeAt(read.end)) && ibanValid(read.compact)) {
      spans.push({ entity: 'IBAN_CODE', start: i, end: read.end, score: 1 });
      done = read.end;
    }
  }
  return spans;
}

/** IBANs, compact or grouped, any case, checked by length per country and ISO 7064 mod 97. */
export const ibanRecognizer: Recognizer = {
  name: 'iban',
  entities: ['IBAN_CODE'],
  applies: (view) => view.digits >= MIN_DIGITS,
  scan: scanIbans,
};
