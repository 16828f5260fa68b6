/** ASCII character classes on UTF-16 code units, for recognizers that scan with charCodeAt. */

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** A character that glues to a word: letters, digits and underscore. */
export function isWordChar(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 95;
}
