import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  internationalCertain,
  internationalPlausible,
  nationalCertain,
  nationalPlausible,
} from './phone-plans.js';

/**
 * Regions tried, in order, for numbers written without a country code.
 * Numbers with `+` or `00` carry their own country and need none.
 */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = [
  'US',
  'GB',
  'DE',
  'FR',
  'IN',
  'AU',
  'CA',
  'ES',
  'IT',
  'NL',
];

/** The digits of a number, or null when it holds letters (libphonenumber-js reads "1-800-FLOWERS" as digits). */
function digitsOf(text: string): string | null {
  let d = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) d += text[i];
    else if ((c | 32) >= 97 && (c | 32) <= 122) return null;
  }
  return d;
}

/**
 * True when the text is a valid phone number (libphonenumber-js with full
 * metadata): in international form, or national in one of `regions`.
 * A parse costs 6 to 45 µs a region, so phone-plans.ts first answers from
 * libphonenumber-js's own metadata what it can answer for certain (a number
 * that fits no plan; a plain number fitting a type of its region's main
 * plan), and only the rest is parsed.
 */
export function phoneValid(
  candidate: string,
  regions: readonly CountryCode[] = DEFAULT_PHONE_REGIONS,
): boolean {
  const text = candidate.startsWith('00') ? `+${candidate.slice(2)}` : candidate;
  try {
    if (text.startsWith('+')) {
      const digits = digitsOf(text);
      if (digits !== null && internationalCertain(digits)) return true;
      if (digits !== null && !internationalPlausible(digits)) return false;
      return parsePhoneNumberFromString(text)?.isValid() ?? false;
    }
    const digits = digitsOf(text);
    for (const region of regions) {
      if (digits !== null && nationalCertain(region, digits)) return true;
      if (digits !== null && !nationalPlausible(region, digits)) continue;
      if (parsePhoneNumberFromString(text, region)?.isValid()) return true;
    }
  } catch {
    // libphonenumber-js throws on some inputs (too long, not a number): not a phone.
  }
  return false;
}
