import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { internationalPlausible, nationalPlausible } from './phone-plans.js';

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
 * libphonenumber-js is asked only about the regions whose numbering plan
 * the digits fit (phone-plans.ts), since each parse costs microseconds.
 */
export function phoneValid(
  candidate: string,
  regions: readonly CountryCode[] = DEFAULT_PHONE_REGIONS,
): boolean {
  const text = candidate.startsWith('00') ? `+${candidate.slice(2)}` : candidate;
  try {
    if (text.startsWith('+')) {
      const digits = digitsOf(text);
      if (digits !== null && !internationalPlausible(digits)) return false;
      return parsePhoneNumberFromString(text)?.isValid() ?? false;
    }
    const digits = digitsOf(text);
    for (const region of regions) {
      if (digits !== null && !nationalPlausible(region, digits)) continue;
      if (parsePhoneNumberFromString(text, region)?.isValid()) return true;
    }
  } catch {
    // libphonenumber-js throws on some inputs (too long, not a number): not a phone.
  }
  return false;
}
