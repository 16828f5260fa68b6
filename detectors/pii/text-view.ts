/**
 * One text under analysis, with the cheap facts recognizers use to skip work
 * (no digit, no `@`, ...) computed in a single pass on first use. Most chat
 * turns hold no digits at all, so most numeric recognizers never run.
 */
export class TextView {
  readonly text: string;
  private featuresDone = false;
  private _digits = 0;
  private _at = false;
  private _colon = false;
  private _upper = false;
  private _lower: string | undefined;

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
    this.features();
    return this._colon;
  }

  /** True when the text holds an ASCII capital letter. */
  get hasUpper(): boolean {
    this.features();
    return this._upper;
  }

  /** The text lowercased (same length for the ASCII context words recognizers look for). */
  get lower(): string {
    if (this._lower === undefined) this._lower = this.text.toLowerCase();
    return this._lower;
  }

  private features(): void {
    if (this.featuresDone) return;
    this.featuresDone = true;
    const t = this.text;
    let digits = 0;
    let at = false;
    let colon = false;
    let upper = false;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
      else if (c >= 65 && c <= 90) upper = true;
      else if (c === 64) at = true;
      else if (c === 58) colon = true;
    }
    this._digits = digits;
    this._at = at;
    this._colon = colon;
    this._upper = upper;
  }
}
