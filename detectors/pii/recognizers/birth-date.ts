import { hasContext } from '../context.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

/**
 * Dates of birth: numeric (03/14/1985, 14.03.1985, 1985-03-14, 3/4/85) and
 * written (March 14, 1985; 14 March 1985; 14th of March 1985) dates that are
 * real calendar dates with a plausible birth year, reported only next to
 * birth context. Any other date (an order, a timestamp) is not personal data.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DATE = new RegExp(
  [
    '(?<![0-9])(\\d{4})-(\\d{1,2})-(\\d{1,2})(?![0-9])',
    '(?<![0-9./-])(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})(?![0-9])',
    `(?<![a-z0-9])(\\d{1,2})(?:st|nd|rd|th)?[ \\t]+(?:of[ \\t]+)?${MONTH}\\.?,?[ \\t]+(\\d{4})(?![0-9])`,
    `(?<![a-z])${MONTH}\\.?[ \\t]+(\\d{1,2})(?:st|nd|rd|th)?,?[ \\t]+(\\d{4})(?![0-9])`,
  ].join('|'),
  'g',
);
/** Speech-to-text dates: "june third nineteen ninety three", "july twenty second two thousand and three". */
const UNITS = 'one|two|three|four|five|six|seven|eight|nine';
const TENS =
  'ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
const ORDINAL =
  '(?:(?:twenty|thirty)[ -])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)';
const SPOKEN_DATE = new RegExp(
  `(?<![a-z])(?:january|february|march|april|may|june|july|august|september|october|november|december)(?: the)? ${ORDINAL},? (?:nineteen|two thousand(?: and)?)(?:[ -](?:${TENS}|${UNITS})){0,2}(?![a-z])`,
  'g',
);
const CONTEXT = ['born', 'date of birth', 'dob', 'd.o.b', 'birthday', 'birth date', 'birthdate', 'birth'];
/** Every context word holds one of these. */
const CONTEXT_ROOTS = ['birth', 'born', 'dob', 'd.o.b'];

function realDate(year: number, month: number, day: number): boolean {
  const now = new Date().getUTCFullYear();
  if (year < 1900 || year > now || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  // Two-digit birth years: 00 up to this year's two digits are 2000s, the rest 1900s.
  return n <= new Date().getUTCFullYear() % 100 ? 2000 + n : 1900 + n;
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3)) + 1;
}

function valid(m: RegExpExecArray): boolean {
  if (m[1]) return realDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (m[4]) {
    const a = Number(m[4]);
    const b = Number(m[5]);
    const y = fullYear(m[6]!);
    // Month first (US) or day first (most of the world): either reading makes it a date.
    return realDate(y, a, b) || realDate(y, b, a);
  }
  if (m[7]) return realDate(Number(m[9]), monthOf(m[8]!), Number(m[7]));
  return realDate(Number(m[12]), monthOf(m[10]!), Number(m[11]));
}

/** A birth word within the 24 characters before `at`. */
function nearWord(lower: string, at: number): boolean {
  const before = lower.slice(Math.max(0, at - 24), at);
  return CONTEXT.some((w) => before.includes(w));
}

function scan(view: TextView): PiiSpan[] {
  const lower = view.lower;
  const spans: PiiSpan[] = [];
  DATE.lastIndex = 0;
  for (let m = DATE.exec(lower); m !== null; m = DATE.exec(lower)) {
    const end = m.index + m[0].length;
    if (!valid(m) || !hasContext(view, m.index, end, CONTEXT, 40, 12)) continue;
    // "D.O.B. 5 April 1978, account opened 26 January 2022": only the date right after the context is the birth date.
    if (spans.length > 0 && spans[spans.length - 1]!.end > m.index - 40 && !nearWord(lower, m.index))
      continue;
    spans.push({ entity: 'DATE_OF_BIRTH', start: m.index, end, score: 0.85 });
  }
  DATE.lastIndex = 0;
  SPOKEN_DATE.lastIndex = 0;
  for (let m = SPOKEN_DATE.exec(lower); m !== null; m = SPOKEN_DATE.exec(lower)) {
    const end = m.index + m[0].length;
    if (hasContext(view, m.index, end, CONTEXT, 48, 12)) {
      spans.push({ entity: 'DATE_OF_BIRTH', start: m.index, end, score: 0.8 });
    }
  }
  return spans;
}

/** DATE_OF_BIRTH, only with birth context. */
export const birthDateRecognizer: Recognizer = {
  name: 'date-of-birth',
  entities: ['DATE_OF_BIRTH'],
  // A date is reported only next to a birth word, and every one of them holds one of these.
  applies: (view) =>
    (view.digits >= 4 || view.lower.includes('teen') || view.lower.includes('thousand')) &&
    CONTEXT_ROOTS.some((w) => view.lower.includes(w)),
  scan,
};
