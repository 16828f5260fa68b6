import { MAX_SPELLED_LENGTH, SPELLED_CODES } from './spelled-digits.js';

/**
 * One text under analysis, with the cheap facts recognizers use to skip work
 * (no digit, no `@`, ...) and the tokens they start from, computed in a
 * single pass on first use. Most chat turns hold no digits at all, so most
 * numeric recognizers never run; and those that do visit a few digit runs
 * instead of reading every character again (a character loop costs about
 * a microsecond per 200 characters, fourteen recognizers over).
 */
export class TextView {
  readonly text: string;
  private featuresDone = false;
  private _digits = 0;
  private _at = false;
  private _colons = 0;
  private _upper = false;
  private _runs: number[] = [];
  private _words: number[] = [];
  private _starts: number[] = [];
  private _spelledAt = -1;
  private _lower: string | undefined;
  private _contextHits: Map<readonly string[], Int32Array> | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** Number of ASCII digits in the text. */
  get digits(): number {
    this.features();
    return this._digits;
  }

  get hasAt(): boolean {
    this.features();
    return this._at;
  }

  get hasColon(): boolean {
    return this.colons > 0;
  }

  get colons(): number {
    this.features();
    return this._colons;
  }

  /** True when the text holds an ASCII capital letter. */
  get hasUpper(): boolean {
    this.features();
    return this._upper;
  }

  /** Maximal runs of ASCII digits, flat [start, end) pairs: runs[2k] to runs[2k + 1]. */
  get digitRuns(): readonly number[] {
    this.features();
    return this._runs;
  }

  /** Maximal runs of ASCII letters and digits that hold a digit ("DE89", "0x52908400", "1234"), flat [start, end) pairs. */
  get digitWords(): readonly number[] {
    this.features();
    return this._words;
  }

  /** Where each maximal run of ASCII letters and digits starts: the word starts context words are looked for at. */
  get wordStarts(): readonly number[] {
    this.features();
    return this._starts;
  }

  /**
   * Where the first word that is a spelled digit or multiplier ("one", "Oh",
   * "double") starts, or -1: a whole run of ASCII letters and digits, all
   * letters. Dictated numbers start there at the earliest.
   */
  get firstSpelledDigit(): number {
    this.features();
    return this._spelledAt;
  }

  /** Where each constant list of context words occurs in the text (filled by context.ts). */
  get contextHits(): Map<readonly string[], Int32Array> {
    if (this._contextHits === undefined) this._contextHits = new Map();
    return this._contextHits;
  }

  /**
   * The text lowercased, offset for offset: a few characters lowercase to
   * two ("İ" to "i̇"), and then only ASCII letters are lowered, so an offset
   * in `lower` is always the same offset in `text`.
   */
  get lower(): string {
    if (this._lower === undefined) {
      const lower = this.text.toLowerCase();
      this._lower =
        lower.length === this.text.length ? lower : this.text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
    }
    return this._lower;
  }

  private features(): void {
    if (this.featuresDone) return;
    this.featuresDone = true;
    const t = this.text;
    let digits = 0;
    let at = false;
    let colons = 0;
    let upper = false;
    const runs = this._runs;
    const words = this._words;
    const starts = this._starts;
    let runStart = -1;
    let wordStart = -1;
    let wordDigit = false;
    let spelledAt = -1;
    // The letters of the current word, five bits each (see letterCode); only read for words of up to six letters.
    let code = 0;
    const n = t.length;
    for (let i = 0; i < n; i++) {
      const c = t.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        digits++;
        if (runStart < 0) runStart = i;
        if (wordStart < 0) {
          wordStart = i;
          starts.push(i);
        }
        wordDigit = true;
        continue;
      }
      if (runStart >= 0) {
        runs.push(runStart, i);
        runStart = -1;
      }
      const l = c | 32;
      if (l >= 97 && l <= 122) {
        if (c <= 90) upper = true;
        if (wordStart < 0) {
          wordStart = i;
          starts.push(i);
          code = 0;
        }
        code = (code << 5) | (c & 31);
        continue;
      }
      if (wordStart >= 0) {
        if (wordDigit) words.push(wordStart, i);
        else if (spelledAt < 0 && i - wordStart <= MAX_SPELLED_LENGTH && isSpelled(code, i - wordStart))
          spelledAt = wordStart;
        wordStart = -1;
        wordDigit = false;
      }
      if (c === 64) at = true;
      else if (c === 58) colons++;
    }
    if (runStart >= 0) runs.push(runStart, n);
    if (wordStart >= 0 && wordDigit) words.push(wordStart, n);
    else if (
      wordStart >= 0 &&
      spelledAt < 0 &&
      n - wordStart <= MAX_SPELLED_LENGTH &&
      isSpelled(code, n - wordStart)
    )
      spelledAt = wordStart;
    this._spelledAt = spelledAt;
    this._digits = digits;
    this._at = at;
    this._colons = colons;
    this._upper = upper;
  }
}

function isSpelled(code: number, length: number): boolean {
  const codes = SPELLED_CODES[length]!;
  for (let k = 0; k < codes.length; k++) if (codes[k] === code) return true;
  return false;
}
