import { isDigit, isLetter } from '../char-codes.js';
import { hasContext, withContext } from '../context.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

/**
 * Street addresses (house number, optional direction, one to four
 * capitalized words, a street type, and a unit right after it) and
 * postcodes: UK postcodes by their shape, US ZIP codes only in address
 * context (after a state code or the words zip / postal code), since a bare
 * five-digit number is far more often something else.
 */
const STREET_TYPES =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Close|Crescent|Cres|Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir|Trail|Row|Gardens|Grove|Mews|Walk|Plaza|Alley';
const STREET = new RegExp(
  `(?<![A-Za-z0-9])\\d{1,5}[A-Za-z]?[ \\t]+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\.?[ \\t]+)?(?:(?:[A-Z][a-z]{1,20}|\\d{1,3}(?:st|nd|rd|th))[ \\t]+){1,4}(?:${STREET_TYPES})(?![A-Za-z])(?:\\.?,?[ \\t]+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Room)\\.?[ \\t]*#?[A-Za-z0-9-]{1,6}|[ \\t]+#[A-Za-z0-9-]{1,6})?`,
  'y',
);
const UK_POSTCODE =
  /(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])/y;
const US_ZIP = /(?<![A-Za-z0-9-])\d{5}(?:-\d{4})?(?![A-Za-z0-9-])/y;
const STATES =
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY';
const STATE_BEFORE = new RegExp(`(?:^|[ ,])(?:${STATES.split(' ').join('|')}),?[ \\t]+$`);
const ZIP_WORDS = /(?:zip|zip code|zipcode|postal code|postcode)[\s:#is]*$/;
/** Speech-to-text street addresses: number words, a street name, a street type, lowercase. */
const NUMBER_WORD =
  '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|oh|zero)';
const SPOKEN_STREET = new RegExp(
  `(?<![a-z])${NUMBER_WORD}(?:[ -]${NUMBER_WORD}){0,4} (?:[a-z]{2,20} ){1,3}(?:street|avenue|road|lane|drive|way|court|place|boulevard|terrace|close|crescent)(?![a-z])`,
  'g',
);
const ADDRESS_CONTEXT = [
  'address',
  'live at',
  'living at',
  'ship to',
  'deliver to',
  'delivered to',
  'located at',
];
const POSTCODE_CONTEXT = ['postcode', 'post code', 'postal code'];
const SPOKEN_ADDRESS_CONTEXT = ['address'];

/** The match of sticky `re` exactly at `at`, or null. */
function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * What STREET needs at a digit run, checked before running it: a house
 * number of at most five digits, not glued to a word, an optional letter
 * ("221B"), blanks, then a capital (a direction or the street name) or a
 * digit (an ordinal, "5th"). Most digit runs (prices, times, ids) fail here.
 */
function mayStartStreet(text: string, at: number, runEnd: number): boolean {
  if (runEnd - at > 5 || isLetter(text.charCodeAt(at - 1))) return false;
  let j = runEnd;
  if (isLetter(text.charCodeAt(j))) j++;
  const blank = (c: number) => c === 32 || c === 9;
  if (!blank(text.charCodeAt(j))) return false;
  while (blank(text.charCodeAt(j))) j++;
  const c = text.charCodeAt(j);
  return isUpper(c) || isDigit(c);
}

/*
 * A street address starts with its house number, a ZIP code is a digit run
 * and a UK postcode starts with a word holding a digit ("SW1A", "M1"), or
 * is GIR 0AA: so the patterns are tried only at those starts (sticky),
 * not at every character of the text.
 */
function scan(view: TextView): PiiSpan[] {
  const text = view.text;
  const spans: PiiSpan[] = [];
  const runs = view.digitRuns;
  if (view.hasUpper) {
    let done = 0;
    for (let r = 0; r < runs.length; r += 2) {
      const at = runs[r]!;
      if (at < done || !mayStartStreet(text, at, runs[r + 1]!)) continue;
      const m = matchAt(STREET, text, at);
      if (m === null) continue;
      const end = at + m[0].length;
      done = end;
      spans.push({
        entity: 'ADDRESS',
        start: at,
        end,
        score: withContext(0.8, hasContext(view, at, end, ADDRESS_CONTEXT)),
      });
    }
  }
  // Spoken addresses have no digits to anchor them: only with address context nearby.
  if (view.lower.includes('address')) {
    const lower = view.lower;
    SPOKEN_STREET.lastIndex = 0;
    for (let m = SPOKEN_STREET.exec(lower); m !== null; m = SPOKEN_STREET.exec(lower)) {
      const end = m.index + m[0].length;
      if (hasContext(view, m.index, end, SPOKEN_ADDRESS_CONTEXT, 64, 0)) {
        spans.push({ entity: 'ADDRESS', start: m.index, end, score: 0.75 });
      }
    }
  }
  if (view.hasUpper) {
    const postcode = (at: number) => {
      const m = matchAt(UK_POSTCODE, text, at);
      if (m === null) return;
      const end = at + m[0].length;
      const base = m[0].includes(' ') ? 0.6 : 0.4;
      spans.push({
        entity: 'POSTCODE',
        start: at,
        end,
        score: withContext(base, hasContext(view, at, end, POSTCODE_CONTEXT)),
      });
    };
    const words = view.digitWords;
    for (let w = 0; w < words.length; w += 2) {
      if (isUpper(text.charCodeAt(words[w]!))) postcode(words[w]!);
    }
    for (let at = text.indexOf('GIR'); at !== -1; at = text.indexOf('GIR', at + 1)) postcode(at);
  }
  for (let r = 0; r < runs.length; r += 2) {
    const at = runs[r]!;
    if (runs[r + 1]! - at !== 5) continue;
    const m = matchAt(US_ZIP, text, at);
    if (m === null) continue;
    const before = text.slice(Math.max(0, at - 24), at);
    if (STATE_BEFORE.test(before) || ZIP_WORDS.test(before.toLowerCase())) {
      spans.push({ entity: 'POSTCODE', start: at, end: at + m[0].length, score: 0.8 });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** ADDRESS and POSTCODE. */
export const streetAddressRecognizer: Recognizer = {
  name: 'address',
  entities: ['ADDRESS', 'POSTCODE'],
  applies: (view) => (view.digits >= 1 && view.hasUpper) || view.lower.includes('address'),
  scan,
};
