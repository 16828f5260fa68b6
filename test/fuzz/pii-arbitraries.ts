import fc from 'fast-check';

/**
 * Generators of personal data the PII recognizers must find: e-mail
 * addresses, phone numbers in international form, Luhn-valid card numbers
 * and IBANs with valid check digits, each printed the ways people write them.
 */

export type PiiKind = 'email' | 'phone' | 'card' | 'iban';

export interface PiiValue {
  kind: PiiKind;
  value: string;
}

const lowerAlnum = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')),
  minLength: 1,
  maxLength: 8,
});

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: n, maxLength: n });

/** `jane.doe.<random>@example.com`: unique enough to be searched for verbatim. */
export const emailArb: fc.Arbitrary<string> = fc
  .tuple(lowerAlnum, fc.constantFrom('example.com', 'example.org', 'mail.example.net'))
  .map(([token, domain]) => `jane.doe.${token}@${domain}`);

/** Numbers in ranges libphonenumber holds valid (UK drama range, US 555-01xx, Berlin). */
export const phoneArb: fc.Arbitrary<string> = fc.oneof(
  digits(3).map((d) => `+44 20 7946 0${d}`),
  digits(2).map((d) => `+1 415 555 01${d}`),
  digits(2).map((d) => `+49 30 901820${d}`),
);

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function groupBy4(s: string, sep: string): string {
  return (s.match(/.{1,4}/g) ?? []).join(sep);
}

/** Visa or Mastercard, 16 digits, valid Luhn, written compact, by fours with spaces, or with dashes. */
export const cardArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('4', '51', '52', '53', '54', '55'), digits(14), fc.constantFrom('', ' ', '-'))
  .map(([prefix, rest, sep]) => {
    const body = (prefix + rest).slice(0, 15);
    return groupBy4(body + luhnCheckDigit(body), sep);
  });

function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.toUpperCase();
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of code) rem = (rem * 10 + Number(d)) % 97;
  }
  return String(98 - rem).padStart(2, '0');
}

/** A GB IBAN (bank code WEST) or a DE IBAN, compact or in print form (groups of four). */
export const ibanArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('GB', 'DE'), digits(18), fc.boolean())
  .map(([country, ds, print]) => {
    const bban = country === 'GB' ? `WEST${ds.slice(0, 14)}` : ds;
    const iban = `${country}${ibanCheckDigits(country, bban)}${bban}`;
    return print ? groupBy4(iban, ' ') : iban;
  });

export const piiArb: fc.Arbitrary<PiiValue> = fc.oneof(
  emailArb.map((value) => ({ kind: 'email' as const, value })),
  phoneArb.map((value) => ({ kind: 'phone' as const, value })),
  cardArb.map((value) => ({ kind: 'card' as const, value })),
  ibanArb.map((value) => ({ kind: 'iban' as const, value })),
);

/** True when `haystack` holds `raw` as is or JSON-escaped. */
export function containsRaw(haystack: string, raw: string): boolean {
  return haystack.includes(raw) || haystack.includes(JSON.stringify(raw).slice(1, -1));
}
