import { cardSchemeKnown, luhnValid } from '../../../detectors/pii/number-rules.js';
import type { Rng } from './prng.js';

/** Card numbers built on public test BINs, check digit computed, so every positive passes Luhn. */

export type CardScheme = 'visa' | 'mastercard' | 'amex' | 'discover';

const PREFIXES: Record<CardScheme, readonly string[]> = {
  visa: ['4111', '4242', '4000', '4012', '4532', '4916'],
  mastercard: ['5555', '5105', '5425', '5200', '2221', '2720'],
  amex: ['3782', '3714', '3400', '3700'],
  discover: ['6011', '6445'],
};

export const CARD_SCHEMES: readonly CardScheme[] = ['visa', 'mastercard', 'amex', 'discover'];

/** The digit that makes `partial` + digit pass Luhn. */
export function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return String(d);
  throw new Error(`no Luhn digit for ${partial}`);
}

export function cardNumber(r: Rng, scheme: CardScheme): string {
  const length = scheme === 'amex' ? 15 : 16;
  const prefix = r.pick(PREFIXES[scheme]);
  const partial = prefix + r.digits(length - prefix.length - 1);
  const digits = partial + luhnCheckDigit(partial);
  if (!luhnValid(digits) || !cardSchemeKnown(digits)) throw new Error(`bad card ${digits}`);
  return digits;
}

/** A number shaped like a card that fails Luhn (last digit off by one to nine). */
export function nonLuhnCardNumber(r: Rng): string {
  const digits = cardNumber(r, r.pick(CARD_SCHEMES));
  const last = (Number(digits.at(-1)) + r.int(1, 9)) % 10;
  return digits.slice(0, -1) + last;
}

export type CardStyle = 'space' | 'dash' | 'none';

/** Card groups as printed: 4-6-5 for Amex (15 digits), 4-4-4-4 otherwise. */
export function cardGroups(digits: string): number[] {
  return digits.length === 15 ? [4, 6, 5] : [4, 4, 4, 4];
}

export function formatCard(digits: string, style: CardStyle): string {
  if (style === 'none') return digits;
  const parts: string[] = [];
  let at = 0;
  for (const g of cardGroups(digits)) {
    parts.push(digits.slice(at, at + g));
    at += g;
  }
  return parts.join(style === 'space' ? ' ' : '-');
}
