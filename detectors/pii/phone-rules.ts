import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

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

/**
 * True when the text is a valid phone number (libphonenumber-js with full
 * metadata): in international form, or national in one of `regions`.
 */
export function phoneValid(
  candidate: string,
  regions: readonly CountryCode[] = DEFAULT_PHONE_REGIONS,
): boolean {
  const text = candidate.startsWith('00') ? `+${candidate.slice(2)}` : candidate;
  try {
    if (text.startsWith('+')) return parsePhoneNumberFromString(text)?.isValid() ?? false;
    for (const region of regions) {
      if (parsePhoneNumberFromString(text, region)?.isValid()) return true;
    }
  } catch {
    // libphonenumber-js throws on some inputs (too long, not a number): not a phone.
  }
  return false;
}
