import { isIPv4, isIPv6 } from 'node:net';
import { isDigit, isLetter, isWordChar } from '../char-codes.js';
import { hasContext, withContext } from '../context.js';
import type { PiiSpan, Recognizer } from '../recognizer.js';
import type { TextView } from '../text-view.js';

const CONTEXT = ['ip', 'address', 'server', 'host', 'connected from'];
const BASE_SCORE = 0.7;

/** The longest textual IPv6 address (with an embedded IPv4 tail) is 45 characters. */
const MAX_IPV6 = 45;
/** Fewer hex digits than this (`::`, `::1`, `A::B` in code) is too little to be an address worth reporting. */
const MIN_IPV6_HEX = 4;

/** "v1.2.3.4", "version 1.2.3.4", "ver: 1.2.3.4": a version number, not an address. */
const VERSION_BEFORE = /(?:^|[^a-z])v(?:er|ersion)?\s*[:=]?\s*$/;

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function span(view: TextView, start: number, end: number): PiiSpan {
  return {
    entity: 'IP_ADDRESS',
    start,
    end,
    score: withContext(BASE_SCORE, hasContext(view, start, end, CONTEXT)),
  };
}

function inIpv6Run(c: number): boolean {
  return isHex(c) || c === 58 || c === 46;
}

/**
 * IPv6 candidates: maximal runs of hex digits, colons and dots (for an
 * IPv4 tail) with at least two colons, not glued to a word, checked by
 * node's isIPv6. Each run holds a colon, so runs are found from the
 * colons (indexOf is native) and grown both ways; runs are disjoint, so
 * the scan is linear.
 */
function scanIpv6(view: TextView, out: PiiSpan[]): void {
  const text = view.text;
  let done = 0; // where the last run ended
  for (let colon = text.indexOf(':'); colon !== -1; colon = text.indexOf(':', done)) {
    let start = colon;
    while (start > done && inIpv6Run(text.charCodeAt(start - 1))) start--;
    while (text.charCodeAt(start) === 46) start++; // a run starts at a hex digit or a colon
    let i = colon;
    let colons = 0;
    let hex = 0;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d === 58) colons++;
      else if (isHex(d)) hex++;
      else if (d !== 46) break;
      i++;
    }
    done = i + 1;
    for (let k = start; k < colon; k++) if (isHex(text.charCodeAt(k))) hex++;
    // A label's colon before the address ("ip:2001:db8::1") is not part of it ("::1" is).
    if (text.charCodeAt(start) === 58 && text.charCodeAt(start + 1) !== 58) {
      start++;
      colons--;
    }
    const p = text.charCodeAt(start - 1);
    if (colons < 2 || hex < MIN_IPV6_HEX || isWordChar(p) || p === 46 || isWordChar(text.charCodeAt(i)))
      continue;
    let end = i;
    // A sentence's full stop or a label's colon after the address is not part of it ("::" is).
    while (end > start && text.charCodeAt(end - 1) === 46) end--;
    if (text.charCodeAt(end - 1) === 58 && text.charCodeAt(end - 2) !== 58) end--;
    if (end - start > MAX_IPV6) continue;
    if (isIPv6(text.slice(start, end))) out.push(span(view, start, end));
  }
}

/**
 * IPv4 candidates: runs of digit groups joined by single dots. Exactly four
 * groups, else the run is a longer dotted number (a version, an OID).
 */
const RELEASE_BEFORE =
  /(?:firmware|version|release|build|updated to|upgraded to|rolled back from|back from|to v?)\s*$/;

function scanIpv4(view: TextView, taken: readonly PiiSpan[], out: PiiSpan[]): void {
  const text = view.text;
  const runs = view.digitRuns;
  let t = 0; // the first IPv6 span that may still hold a later candidate: both lists run by start
  let done = 0; // where the last dotted run ended: its digit runs are read
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r]!;
    if (start < done) continue;
    // The digit runs joined by single dots: the next run starts right after a dot ending this one.
    let k = r;
    let groups = 1;
    while (k + 2 < runs.length && runs[k + 2] === runs[k + 1]! + 1 && text.charCodeAt(runs[k + 1]!) === 46) {
      k += 2;
      groups++;
    }
    const end = runs[k + 1]!;
    done = end;
    if (groups !== 4 || end - start > 15) continue;
    const p = text.charCodeAt(start - 1);
    if (isWordChar(p) || (p === 46 && isWordChar(text.charCodeAt(start - 2)))) continue;
    const n = text.charCodeAt(end);
    if (isWordChar(n) || (n === 46 && isWordChar(text.charCodeAt(end + 1)))) continue;
    if (VERSION_BEFORE.test(view.lower.slice(Math.max(0, start - 12), start))) continue;
    // A pre-release suffix ("2.1.0.9-beta") or a release word before it makes it a version.
    if (n === 45 && isLetter(text.charCodeAt(end + 1))) continue;
    if (RELEASE_BEFORE.test(view.lower.slice(Math.max(0, start - 24), start))) continue;
    while (t < taken.length && taken[t]!.end < end) t++;
    if (t < taken.length && taken[t]!.start <= start) continue; // the IPv4 tail of an IPv6 address
    if (isIPv4(text.slice(start, end))) out.push(span(view, start, end));
  }
}

function scanIps(view: TextView): PiiSpan[] {
  const v6: PiiSpan[] = [];
  if (view.colons >= 2) scanIpv6(view, v6);
  const v4: PiiSpan[] = [];
  scanIpv4(view, v6, v4);
  // Each list runs by start; most texts have no IPv6 candidate to merge.
  if (v6.length === 0) return v4;
  return [...v6, ...v4].sort((a, b) => a.start - b.start);
}

/** IPv4 and IPv6 addresses (without port or brackets), checked by node:net. */
export const ipAddressRecognizer: Recognizer = {
  name: 'ip-address',
  entities: ['IP_ADDRESS'],
  applies: (view) => view.digits >= 4 || view.colons >= 2,
  scan: scanIps,
};
