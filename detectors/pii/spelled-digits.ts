/**
 * The words speech-to-text writes for digits read aloud, shared by the
 * spoken-digits recognizer (which reads runs of them) and TextView (which
 * notes, in its one pass, where the first of them stands, so texts without
 * any skip that recognizer).
 */

export const DIGIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['zero', '0'],
  ['oh', '0'],
  ['o', '0'],
  ['nought', '0'],
  ['one', '1'],
  ['two', '2'],
  ['three', '3'],
  ['four', '4'],
  ['five', '5'],
  ['six', '6'],
  ['seven', '7'],
  ['eight', '8'],
  ['nine', '9'],
]);

/** "double five", "triple oh": the digit after them said two or three times. */
export const MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['double', 2],
  ['triple', 3],
]);

/** The longest digit word or multiplier, in letters. */
export const MAX_SPELLED_LENGTH = 6;

/**
 * A word of up to six ASCII letters as a number, five bits a letter taken
 * case-blind (`c & 31` is 1 to 26 for both cases), so TextView can compare
 * the word it is passing with a few integers instead of cutting it out.
 */
export function letterCode(word: string): number {
  let code = 0;
  for (let i = 0; i < word.length; i++) code = (code << 5) | (word.charCodeAt(i) & 31);
  return code;
}

/** SPELLED_CODES[len]: the letter codes of the digit words and multipliers of that length. */
export const SPELLED_CODES: readonly Int32Array[] = (() => {
  const byLength: number[][] = Array.from({ length: MAX_SPELLED_LENGTH + 1 }, () => []);
  for (const w of [...DIGIT_WORDS.keys(), ...MULTIPLIERS.keys()]) byLength[w.length]!.push(letterCode(w));
  return byLength.map((codes) => Int32Array.from(codes));
})();
