import validator from 'validator';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

/** RFC 5321 limits; longer runs around an `@` are not one address. */
const MAX_LOCAL = 64;
const MAX_ADDRESS = 254;
const MAX_LABEL = 63;
/** How far back an `@` is checked for sitting in a URL's authority (`scheme://user:pw@host`). */
const URL_LOOKBACK = 256;

const NON_ASCII_WORD = /[\p{L}\p{N}\p{M}]/u;

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNonAsciiWord(text: string, i: number): boolean {
  return text.charCodeAt(i) >= 0x80 && NON_ASCII_WORD.test(text[i] ?? '');
}

/**
 * Characters taken into the local part. A conservative subset of RFC 5322's
 * atext: `=`, `/`, `?`, `#` and friends are legal but in running text they
 * join an address to what precedes it (`email=bob@...`), so they stop it.
 */
function isLocalChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  // . _ % + ' -
  return (
    isAsciiAlnum(c) ||
    c === 46 ||
    c === 95 ||
    c === 37 ||
    c === 43 ||
    c === 39 ||
    c === 45 ||
    isNonAsciiWord(text, i)
  );
}

function isDomainChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return isAsciiAlnum(c) || c === 46 || c === 45 || isNonAsciiWord(text, i);
}

/** UTF-8 bytes of a string of well-formed UTF-16 (address characters are letters and digits, never lone surrogates). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c < 0xd800 || c > 0xdbff) n += 2;
    else {
      // A surrogate pair: two UTF-16 units, four bytes.
      n += 2;
      i++;
    }
  }
  return n;
}

/**
 * RFC 5321's limits as validator's isEmail applies them: at most 64 bytes
 * before the `@`, 254 after, 63 characters a domain label. Checked here
 * once, in place, so isEmail runs with ignore_max_length: its own check
 * URI-encodes and splits each part, the costliest step of the call.
 */
function withinLimits(text: string, start: number, at: number, end: number): boolean {
  if (utf8Length(text.slice(start, at)) > MAX_LOCAL || utf8Length(text.slice(at + 1, end)) > MAX_ADDRESS)
    return false;
  let label = at + 1;
  for (let i = at + 1; i <= end; i++) {
    if (i === end || text.charCodeAt(i) === 46) {
      if (i - label > MAX_LABEL) return false;
      label = i + 1;
    }
  }
  return true;
}

const EMAIL_OPTIONS = { ignore_max_length: true };

/** Cheap test before the validator: the domain has a dot followed by a TLD of two or more letters. */
function hasTld(domain: string): boolean {
  const dot = domain.lastIndexOf('.');
  return dot > 0 && domain.length - dot > 2;
}

/**
 * True when the address at `start` is the userinfo of a URL
 * (`https://user:secret@host`): that is a credential in a URL, not an email
 * address, and the URL recognizer reports it. An `@` in the path or query
 * (`?email=bob@example.com`) is still an address.
 */
function inUrlAuthority(text: string, start: number): boolean {
  const stop = Math.max(0, start - URL_LOOKBACK);
  for (let j = start - 1; j >= stop; j--) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 64) return false; // space, tab, newlines, @
    if (c === 47 || c === 63 || c === 35 || c === 61 || c === 38) {
      // `/`, `?`, `#`, `=`, `&`: only the `//` of `scheme://` puts us in the authority.
      return c === 47 && text.charCodeAt(j - 1) === 47 && text.charCodeAt(j - 2) === 58;
    }
  }
  return false;
}

function scanEmails(view: TextView): PiiSpan[] {
  const text = view.text;
  const spans: PiiSpan[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf('@', from);
    if (at === -1) break;
    from = at + 1;
    // Expanding stops at the next `@` either side, so every character is visited at most twice overall.
    let start = at;
    while (start > 0 && isLocalChar(text, start - 1)) start--;
    let end = at + 1;
    while (end < text.length && isDomainChar(text, end)) end++;
    // Quotes, dots and dashes that open or close a sentence are not part of the address.
    while (
      start < at &&
      !isAsciiAlnum(text.charCodeAt(start)) &&
      text[start] !== '_' &&
      !isNonAsciiWord(text, start)
    )
      start++;
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    if (start === at || at - start > MAX_LOCAL || end - start > MAX_ADDRESS) continue;
    const domain = text.slice(at + 1, end);
    if (!hasTld(domain)) continue;
    const candidate = text.slice(start, end);
    if (!withinLimits(text, start, at, end) || !validator.isEmail(candidate, EMAIL_OPTIONS)) continue;
    if (inUrlAuthority(text, start)) continue;
    spans.push({ entity: 'EMAIL_ADDRESS', start, end, score: 1 });
    from = end;
  }
  return spans;
}

/** Email addresses: each `@` expanded over address characters, checked by validator's isEmail. */
export const emailRecognizer: Recognizer = {
  name: 'email',
  entities: ['EMAIL_ADDRESS'],
  applies: (view) => view.hasAt,
  scan: scanEmails,
};
