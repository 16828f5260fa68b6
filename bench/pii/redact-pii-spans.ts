/**
 * Spans found by redact-pii, the baseline the benchmark compares against.
 * redact-pii only returns redacted text, so its SyncRedactor chain is
 * replayed step by step with its own patterns and name redactor (same order,
 * same tokens): regex steps give their match offsets directly, the name step
 * is diffed against its input, and an offset map carries every step back to
 * the original text. `consistent` says the replay produced exactly what
 * SyncRedactor.redact does.
 */
import { createRequire } from 'node:module';
import { SyncRedactor } from 'redact-pii';
import type { PiiEntity } from '../../detectors/pii/entities.js';

const require = createRequire(import.meta.url);
/** Its built-in patterns, in the order SyncRedactor applies them (the module's key order). */
const PATTERNS = require('redact-pii/lib/built-ins/simple-regexp-patterns.js') as Record<string, RegExp>;
const { NameRedactor } = require('redact-pii/lib/built-ins/NameRedactor.js') as {
  NameRedactor: new () => { redact(text: string): string };
};

/** redact-pii's redactors mapped onto earshot's entities; those without a counterpart map to null. */
export const REDACT_PII_ENTITIES: Readonly<Record<string, PiiEntity | null>> = {
  creditCardNumber: 'CREDIT_CARD',
  streetAddress: 'ADDRESS',
  zipcode: 'POSTCODE',
  phoneNumber: 'PHONE_NUMBER',
  ipAddress: 'IP_ADDRESS',
  usSocialSecurityNumber: 'US_SSN',
  emailAddress: 'EMAIL_ADDRESS',
  username: null,
  password: null,
  credentials: null,
  digits: null,
  // It redacts every URL; the closest entity is URL_CREDENTIALS, so plain links count against it.
  url: 'URL_CREDENTIALS',
  names: 'PERSON',
};

const NAME_TOKEN = 'PERSON_NAME';

/** "creditCardNumber" -> "CREDIT_CARD_NUMBER", as lodash snakeCase + toUpperCase does for these names. */
function tokenOf(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

export interface RedactPiiSpan {
  /** The redactor that produced it (redact-pii's name). */
  redactor: string;
  entity: PiiEntity | null;
  start: number;
  end: number;
}

interface Region {
  start: number;
  end: number;
}

/** The text being redacted, with the original range each of its characters stands for. */
class Replay {
  text: string;
  private from: number[];
  private to: number[];
  spans: RedactPiiSpan[] = [];

  constructor(text: string) {
    this.text = text;
    this.from = Array.from({ length: text.length }, (_, i) => i);
    this.to = Array.from({ length: text.length }, (_, i) => i + 1);
  }

  /** Replaces `regions` (current offsets, sorted, disjoint) by `token`, recording their original ranges. */
  apply(regions: readonly Region[], token: string, redactor: string): void {
    if (regions.length === 0) return;
    let text = '';
    const from: number[] = [];
    const to: number[] = [];
    let at = 0;
    for (const r of regions) {
      text += this.text.slice(at, r.start);
      from.push(...this.from.slice(at, r.start));
      to.push(...this.to.slice(at, r.start));
      const start = this.from[r.start]!;
      const end = this.to[r.end - 1]!;
      // A region over earlier tokens supersedes them: the output shows only the outer token.
      this.spans = this.spans.filter((s) => s.end <= start || s.start >= end);
      this.spans.push({ redactor, entity: REDACT_PII_ENTITIES[redactor] ?? null, start, end });
      text += token;
      for (let i = 0; i < token.length; i++) {
        from.push(start);
        to.push(end);
      }
      at = r.end;
    }
    text += this.text.slice(at);
    from.push(...this.from.slice(at));
    to.push(...this.to.slice(at));
    this.text = text;
    this.from = from;
    this.to = to;
  }
}

/**
 * Regions of `before` that became `token` in `after`: the text between
 * tokens must reappear in order, so each region runs up to the next piece.
 */
export function diffRegions(before: string, after: string, token: string): Region[] | null {
  const pieces = after.split(token);
  if (pieces.length === 1) return [];
  if (!before.startsWith(pieces[0]!) || !before.endsWith(pieces.at(-1)!)) return null;
  const regions: Region[] = [];
  let at = pieces[0]!.length;
  for (let k = 1; k < pieces.length - 1; k++) {
    const next = before.indexOf(pieces[k]!, at + 1);
    if (next < 0) return null;
    regions.push({ start: at, end: next });
    at = next + pieces[k]!.length;
  }
  const end = before.length - pieces.at(-1)!.length;
  if (end <= at) return null;
  regions.push({ start: at, end });
  return regions;
}

const syncRedactor = new SyncRedactor();
const nameRedactor = new NameRedactor();

export interface RedactPiiResult {
  spans: RedactPiiSpan[];
  /** The replay's output equals SyncRedactor's, so the spans are the ones it redacted. */
  consistent: boolean;
}

/** What redact-pii's default SyncRedactor redacts in `text`, as spans of the original text. */
export function redactPiiSpans(text: string): RedactPiiResult {
  const replay = new Replay(text);
  for (const [name, pattern] of Object.entries(PATTERNS)) {
    const regions = [...replay.text.matchAll(pattern)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
    }));
    replay.apply(regions, tokenOf(name), name);
  }
  const named = nameRedactor.redact(replay.text);
  const regions = diffRegions(replay.text, named, NAME_TOKEN);
  if (regions) replay.apply(regions, NAME_TOKEN, 'names');
  const consistent = regions !== null && replay.text === syncRedactor.redact(text);
  return { spans: replay.spans.sort((a, b) => a.start - b.start), consistent };
}

/** redact-pii's own entry point, for timing. */
export function redactPii(text: string): string {
  return syncRedactor.redact(text);
}
