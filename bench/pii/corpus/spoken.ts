import type { Rng } from './prng.js';

/** How speech-to-text writes numbers: digit words, lowercase, no digits. */

const DIGIT = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINAL_UNITS = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
];

/** 0 to 99 as words ("forty two"). */
export function numberWords(n: number): string {
  if (n < 10) return DIGIT[n]!;
  if (n < 20) return TEENS[n - 10]!;
  const unit = n % 10;
  return unit === 0 ? TENS[Math.floor(n / 10)]! : `${TENS[Math.floor(n / 10)]} ${DIGIT[unit]}`;
}

/** 1 to 31 as an ordinal ("twenty third"). */
export function ordinalWords(n: number): string {
  if (n < 20) return ORDINAL_UNITS[n]!;
  const unit = n % 10;
  if (unit === 0) return `${TENS[n / 10]!.slice(0, -1)}ieth`;
  return `${TENS[Math.floor(n / 10)]} ${ORDINAL_UNITS[unit]}`;
}

/** A year read aloud: "nineteen eighty five", "two thousand and three", "nineteen oh seven". */
export function yearWords(year: number): string {
  const hi = Math.floor(year / 100);
  const lo = year % 100;
  if (hi === 20 && lo < 10) return lo === 0 ? 'two thousand' : `two thousand and ${DIGIT[lo]}`;
  if (lo === 0) return `${numberWords(hi)} hundred`;
  if (lo < 10) return `${numberWords(hi)} oh ${DIGIT[lo]}`;
  return `${numberWords(hi)} ${numberWords(lo)}`;
}

export interface DictationStyle {
  /** Group sizes read with a pause; the rest of the digits form the last group. */
  groups?: readonly number[];
  /** What a pause is transcribed as between groups (" ", ", "). */
  pause?: string;
  /** Say "oh" for zero. */
  oh?: boolean;
  /** Say "double five" for "55" (never at the start, so the span still opens on a digit word). */
  double?: boolean;
}

/** Digits dictated one by one, as a caller reads a card or phone number. */
export function dictate(digits: string, style: DictationStyle = {}): string {
  const groups: string[] = [];
  let at = 0;
  for (const g of style.groups ?? []) {
    if (at >= digits.length) break;
    groups.push(digits.slice(at, at + g));
    at += g;
  }
  if (at < digits.length) groups.push(digits.slice(at));
  const spoken = groups.map((g, gi) => {
    const words: string[] = [];
    for (let i = 0; i < g.length; i++) {
      const d = Number(g[i]);
      const word = d === 0 && style.oh ? 'oh' : DIGIT[d]!;
      const repeat = style.double && i + 1 < g.length && g[i + 1] === g[i] && (gi > 0 || i > 0);
      if (repeat) {
        words.push(`double ${word}`);
        i++;
      } else words.push(word);
    }
    return words.join(' ');
  });
  return spoken.join(style.pause ?? ' ');
}

/** A random dictation style: pauses at `groups`, sometimes with commas, "oh" and "double". */
export function randomDictation(r: Rng, groups: readonly number[]): DictationStyle {
  return {
    groups: r.chance(0.7) ? groups : [],
    pause: r.chance(0.4) ? ', ' : ' ',
    oh: r.chance(0.5),
    double: r.chance(0.3),
  };
}
