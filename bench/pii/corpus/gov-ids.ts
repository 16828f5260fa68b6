import { ssnDigitsValid } from '../../../detectors/pii/number-rules.js';
import { DIGITS, type Rng, UPPER } from './prng.js';

/** US SSNs, UK National Insurance numbers and passport numbers in their issued formats. */

/** Nine SSN digits the SSA could issue (area not 000, 666 or 9xx; group and serial not zero). */
export function ssnDigits(r: Rng): string {
  for (;;) {
    const digits =
      String(r.int(1, 899)).padStart(3, '0') +
      String(r.int(1, 99)).padStart(2, '0') +
      String(r.int(1, 9999)).padStart(4, '0');
    if (ssnDigitsValid(digits)) return digits;
  }
}

/** An SSN-shaped number the SSA never issues (area 9xx or 666, or group 00). */
export function badSsnDigits(r: Rng): string {
  const area = r.chance(0.7) ? String(r.int(900, 999)) : '666';
  return area + String(r.int(0, 99)).padStart(2, '0') + r.digits(4);
}

export function formatSsn(digits: string, sep: '-' | ' ' | ''): string {
  return [digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)].join(sep);
}

/** HMRC: no D, F, I, Q, U, V first; no D, F, I, O, Q, U, V second; some pairs never issued. */
const NINO_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NINO_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
const NINO_BANNED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

export function ninoNumber(r: Rng): { prefix: string; digits: string; suffix: string } {
  for (;;) {
    const prefix = r.chars(1, NINO_FIRST) + r.chars(1, NINO_SECOND);
    if (NINO_BANNED.has(prefix)) continue;
    return { prefix, digits: r.digits(6), suffix: r.chars(1, 'ABCD') };
  }
}

export function formatNino(n: { prefix: string; digits: string; suffix: string }, spaced: boolean): string {
  if (!spaced) return n.prefix + n.digits + n.suffix;
  const d = n.digits;
  return `${n.prefix} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${n.suffix}`;
}

/** Passport book numbers: US/UK nine digits, US next generation, India, Germany, France. */
export type PassportKind = 'nine-digit' | 'us-next-gen' | 'india' | 'germany' | 'france';
export const PASSPORT_KINDS: readonly PassportKind[] = [
  'nine-digit',
  'us-next-gen',
  'india',
  'germany',
  'france',
];

/** German passports use digits and the consonants CFGHJKLMNPRTVWXYZ after the leading C. */
const DE_ALPHABET = 'CFGHJKLMNPRTVWXYZ0123456789';

export function passportNumber(r: Rng, kind: PassportKind): string {
  switch (kind) {
    case 'nine-digit':
      return String(r.int(1, 9)) + r.digits(8);
    case 'us-next-gen':
      return r.chars(1, 'ACEFHJKLMNPRSTUVWXYZ') + r.digits(8);
    case 'india':
      return r.chars(1, 'JKLMNPRSTVZ') + r.digits(7);
    case 'germany':
      return `C${r.chars(7, DE_ALPHABET)}${r.chars(1, DIGITS)}`;
    case 'france':
      return r.digits(2) + r.chars(2, UPPER) + r.digits(5);
  }
}
