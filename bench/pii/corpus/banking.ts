import { ibanValid } from '../../../detectors/pii/number-rules.js';
import { DIGITS, type Rng, UPPER } from './prng.js';

/** IBANs with real country layouts and computed ISO 13616 check digits. */

/** BBAN layout per country: runs of letters (A), digits (N) or either (C). */
const BBAN: Record<string, ReadonlyArray<readonly ['A' | 'N' | 'C', number]>> = {
  GB: [
    ['A', 4],
    ['N', 14],
  ],
  DE: [['N', 18]],
  FR: [['N', 23]],
  NL: [
    ['A', 4],
    ['N', 10],
  ],
  ES: [['N', 20]],
  IT: [
    ['A', 1],
    ['N', 22],
  ],
  BE: [['N', 12]],
  CH: [['N', 17]],
  AT: [['N', 16]],
  IE: [
    ['A', 4],
    ['N', 14],
  ],
  PL: [['N', 24]],
};

export const IBAN_COUNTRIES = Object.keys(BBAN);

function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    rem = c >= 65 ? (rem * 100 + (c - 55)) % 97 : (rem * 10 + (c - 48)) % 97;
  }
  return rem;
}

/** The two check digits of an IBAN with this country and BBAN. */
export function ibanCheckDigits(country: string, bban: string): string {
  return String(98 - mod97(`${bban}${country}00`)).padStart(2, '0');
}

/** A compact, valid IBAN of `country`. */
export function ibanNumber(r: Rng, country: string): string {
  const layout = BBAN[country];
  if (!layout) throw new Error(`no layout for ${country}`);
  let bban = '';
  for (const [kind, n] of layout)
    bban += r.chars(n, kind === 'A' ? UPPER : kind === 'N' ? DIGITS : UPPER + DIGITS);
  const iban = country + ibanCheckDigits(country, bban) + bban;
  if (!ibanValid(iban)) throw new Error(`bad IBAN ${iban}`);
  return iban;
}

/** An IBAN-shaped string whose check digits are wrong, so mod-97 fails. */
export function badIbanNumber(r: Rng, country: string): string {
  const iban = ibanNumber(r, country);
  for (;;) {
    const wrong = String(r.int(2, 98)).padStart(2, '0');
    const bad = iban.slice(0, 2) + wrong + iban.slice(4);
    if (!ibanValid(bad)) return bad;
  }
}

/** Printed in groups of four ("GB82 WEST 1234 ..."), as on statements. */
export function groupIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}
