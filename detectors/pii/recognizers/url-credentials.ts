import { isLetter } from '../char-codes.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

/** A URL's own syntax says it holds a secret: no context needed. */
const SCORE = 0.9;
/** RFC 3986 puts no limit on a scheme's length; real ones are short, and the bound keeps the look-back O(1). */
const MAX_SCHEME = 32;

/**
 * Parameter names that hold a secret, compared lowercased with `-`, `_` and
 * `.` removed (`X-Amz-Signature` is `xamzsignature`).
 */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  'token',
  'accesstoken',
  'idtoken',
  'refreshtoken',
  'apikey',
  'key',
  'authkey',
  'secret',
  'clientsecret',
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
  'sig',
  'signature',
  'session',
  'sessionid',
  'auth',
  'authorization',
  'code',
  'jwt',
  'bearer',
]);
/** Name endings that hold a secret whatever comes before (`X-Amz-Security-Token`, `aws_secret_access_key`, `jsessionid`). */
const SECRET_SUFFIXES = [
  'token',
  'secret',
  'password',
  'passwd',
  'signature',
  'apikey',
  'sessionid',
  'secretkey',
  'privatekey',
  'accesskey',
];
/** Names ending like a secret that are not one: pagination cursors. */
const NOT_SECRET: ReadonlySet<string> = new Set([
  'pagetoken',
  'nextpagetoken',
  'continuationtoken',
  'synctoken',
  'cursortoken',
]);
/** Values that say no secret is there: flags and empty placeholders. */
const PLACEHOLDER_VALUES: ReadonlySet<string> = new Set([
  'null',
  'undefined',
  'none',
  'true',
  'false',
  'yes',
  'no',
]);

const NON_ASCII_WORD = /[\p{L}\p{N}\p{M}]/u;

/** Scheme characters (RFC 3986) without `.`, which more often ends the sentence before a URL than sits in a scheme. */
function isSchemeChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 45;
}

/**
 * Characters a URL in running text is taken to run over: printable ASCII
 * except space and `"`, `'`, `<`, `>`, `` ` ``, `{`, `}`, `|`, `\`, `^`,
 * which delimit URLs in prose, markup and templates; and non-ASCII letters.
 */
function isUrlChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0x80) return NON_ASCII_WORD.test(text[i] ?? '');
  if (c <= 32 || c === 127) return false;
  return !(
    c === 34 ||
    c === 39 ||
    c === 60 ||
    c === 62 ||
    c === 96 ||
    c === 123 ||
    c === 125 ||
    c === 124 ||
    c === 92 ||
    c === 94
  );
}

/** Where the scheme before `://` at `p` starts, or -1 when there is none. */
function schemeStart(text: string, p: number): number {
  let s = p;
  while (s > 0 && p - s < MAX_SCHEME && isSchemeChar(text.charCodeAt(s - 1))) s--;
  if (s > 0 && p - s === MAX_SCHEME && isSchemeChar(text.charCodeAt(s - 1))) return -1;
  // A scheme starts with a letter: `2http://` is a list item glued to a URL.
  while (s < p && !isLetter(text.charCodeAt(s))) s++;
  return s < p ? s : -1;
}

/**
 * The URL's end with sentence punctuation trimmed: `.`, `,`, `;`, `:`, `!`,
 * `?`, `*`, and `)` or `]` that close more than the URL opened (Wikipedia's
 * `Foo_(bar)` keeps its parenthesis, `(see https://...)` loses it).
 */
function trimEnd(text: string, start: number, end: number): number {
  let open = 0;
  let close = 0;
  let openSq = 0;
  let closeSq = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) open++;
    else if (c === 41) close++;
    else if (c === 91) openSq++;
    else if (c === 93) closeSq++;
  }
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c === 41 && close > open) close--;
    else if (c === 93 && closeSq > openSq) closeSq--;
    else if (!(c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63 || c === 42)) break;
    end--;
  }
  return end;
}

/** A value that hides or stands in for a secret: `****`, `xxxx`, `...`, `true`. */
function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER_VALUES.has(value.toLowerCase())) return true;
  return /^[*xX.•_-]+$/.test(value);
}

export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_.]/g, '');
  if (SECRET_NAMES.has(n)) return true;
  if (NOT_SECRET.has(n)) return false;
  return SECRET_SUFFIXES.some((s) => n.endsWith(s));
}

/** True when `name=value` pairs in a query or fragment (separated by `&`, `;` or `?`) hold a named secret. */
function paramsHoldSecret(params: string): boolean {
  let from = 0;
  while (from <= params.length) {
    let to = from;
    let eq = -1;
    // One pass per pair finds both its end and its first `=`, so a long query stays linear.
    while (to < params.length) {
      const c = params.charCodeAt(to);
      if (c === 38 || c === 59 || c === 63) break; // & ; ?
      if (c === 61 && eq === -1) eq = to;
      to++;
    }
    if (eq > from && eq < to - 1) {
      // A route before the name (`#/callback?token=...` splits at `?`; `#/x/token=` is a path, not a name).
      const name = params.slice(from, eq);
      if (!name.includes('/') && isSecretName(name) && !isPlaceholder(params.slice(eq + 1, to))) return true;
    }
    from = to + 1;
  }
  return false;
}

/** True when a URL (`rest` is what follows its `://`) carries a password or a secret parameter. */
export function urlHoldsCredentials(rest: string): boolean {
  let authEnd = 0;
  while (authEnd < rest.length) {
    const c = rest.charCodeAt(authEnd);
    if (c === 47 || c === 63 || c === 35) break; // / ? #
    authEnd++;
  }
  const at = rest.lastIndexOf('@', authEnd - 1);
  if (at > 0 && at < authEnd - 1) {
    const colon = rest.indexOf(':');
    if (colon >= 0 && colon < at - 1 && !isPlaceholder(rest.slice(colon + 1, at))) return true;
  }
  const q = rest.indexOf('?', authEnd);
  const h = rest.indexOf('#', authEnd);
  if (q !== -1 && (h === -1 || q < h) && paramsHoldSecret(rest.slice(q + 1, h === -1 ? rest.length : h)))
    return true;
  return h !== -1 && paramsHoldSecret(rest.slice(h + 1));
}

function scanUrls(view: TextView): PiiSpan[] {
  const text = view.text;
  const spans: PiiSpan[] = [];
  let from = 0;
  for (;;) {
    const p = text.indexOf('://', from);
    if (p === -1) break;
    from = p + 3;
    const start = schemeStart(text, p);
    if (start === -1) continue;
    let end = p + 3;
    while (end < text.length && isUrlChar(text, end)) end++;
    // The next search starts past this URL: every character is expanded over once, so the scan is linear.
    from = end;
    end = trimEnd(text, p + 3, end);
    if (end === p + 3) continue;
    if (urlHoldsCredentials(text.slice(p + 3, end)))
      spans.push({ entity: 'URL_CREDENTIALS', start, end, score: SCORE });
  }
  return spans;
}

/**
 * URLs carrying credentials: a password in the userinfo (`scheme://user:pw@host`)
 * or a query or fragment parameter named like a token, key, secret, password,
 * signature or session. The span is the whole URL. URLs without them are not reported.
 */
export const urlCredentialsRecognizer: Recognizer = {
  name: 'url-credentials',
  entities: ['URL_CREDENTIALS'],
  applies: (view) => view.hasColon,
  scan: scanUrls,
};
