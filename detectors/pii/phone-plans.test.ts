import type { CountryCode } from 'libphonenumber-js/core';
import examples from 'libphonenumber-js/examples.mobile.json';
import { getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  internationalCertain,
  internationalPlausible,
  nationalCertain,
  nationalPlausible,
} from './phone-plans.js';
import { DEFAULT_PHONE_REGIONS } from './phone-rules.js';

/** A small seeded generator, so a failure names a number that can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Variants of a valid number: digits changed, one added or dropped, and
 * before it a trunk 0 or 1 or one of `prefixes` (a calling code typed
 * without `+`, an international prefix).
 */
function variants(
  base: string,
  next: () => number,
  count: number,
  prefixes: readonly string[] = [],
): string[] {
  const out: string[] = [base];
  for (let k = 0; k < count; k++) {
    let d = base.split('');
    const changes = Math.floor(next() * 4);
    for (let c = 0; c < changes; c++) d[Math.floor(next() * d.length)] = String(Math.floor(next() * 10));
    const r = next();
    if (r < 0.15) d = d.slice(0, -1);
    else if (r < 0.3) d.push(String(Math.floor(next() * 10)));
    else if (r < 0.45) d.unshift('0');
    else if (r < 0.5) d.unshift('1');
    else if (r < 0.6 && prefixes.length > 0) d.unshift(prefixes[Math.floor(next() * prefixes.length)]!);
    out.push(d.join(''));
  }
  return out;
}

const regions = Object.keys(examples) as CountryCode[];

/** What people type before a national number: the calling code without `+`, or an international prefix and a code. */
function prefixesOf(region: CountryCode): string[] {
  const code = getCountryCallingCode(region);
  return [code, `00${code}`, '0044', '011', '0011', '00', '000'];
}

describe('phone numbering plans (a quick rejection before libphonenumber-js)', () => {
  it('never rejects a national number libphonenumber-js calls valid, in any region', () => {
    const next = random(7);
    let valid = 0;
    let rejected = 0;
    for (const region of regions) {
      for (const n of variants(examples[region]!, next, 30, prefixesOf(region))) {
        const ok = parsePhoneNumberFromString(n, region)?.isValid() ?? false;
        const plausible = nationalPlausible(region, n);
        if (ok) {
          valid++;
          expect(plausible, `${region} ${n}`).toBe(true);
        } else if (!plausible) {
          rejected++;
        }
      }
    }
    // The check means something only when many numbers of both kinds were seen.
    expect(valid).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('never rejects an international number libphonenumber-js calls valid', () => {
    const next = random(11);
    let valid = 0;
    for (const region of regions) {
      const code = getCountryCallingCode(region);
      for (const n of variants(examples[region]!, next, 20)) {
        const digits = `${code}${n}`;
        const ok = parsePhoneNumberFromString(`+${digits}`)?.isValid() ?? false;
        if (ok) {
          valid++;
          expect(internationalPlausible(digits), `+${digits}`).toBe(true);
        }
      }
    }
    expect(valid).toBeGreaterThan(2000);
  });

  it('calls a number certain only when libphonenumber-js calls it valid, national or international, in any region', () => {
    const next = random(23);
    let certain = 0;
    for (const region of regions) {
      const code = getCountryCallingCode(region);
      for (const n of variants(examples[region]!, next, 30, prefixesOf(region))) {
        if (nationalCertain(region, n)) {
          certain++;
          expect(parsePhoneNumberFromString(n, region)?.isValid(), `${region} ${n}`).toBe(true);
        }
        if (internationalCertain(`${code}${n}`)) {
          certain++;
          expect(parsePhoneNumberFromString(`+${code}${n}`)?.isValid(), `+${code}${n}`).toBe(true);
        }
      }
    }
    expect(certain).toBeGreaterThan(2000);
  });

  it('is certain of most valid numbers of the default regions, so few are parsed', () => {
    const next = random(29);
    let valid = 0;
    let certain = 0;
    for (const region of DEFAULT_PHONE_REGIONS) {
      for (const n of variants(examples[region]!, next, 200)) {
        if (!parsePhoneNumberFromString(n, region)?.isValid()) continue;
        valid++;
        if (nationalCertain(region, n)) certain++;
      }
    }
    expect(valid).toBeGreaterThan(500);
    expect(certain / valid).toBeGreaterThan(0.6);
  });

  it('rejects digit runs that fit no plan, so libphonenumber-js is not asked', () => {
    expect(nationalPlausible('GB', '4111111111111111')).toBe(false); // a card number
    expect(nationalPlausible('US', '0123456789')).toBe(false); // NANP area codes start 2-9
    expect(nationalPlausible('FR', '12345')).toBe(false);
    expect(internationalPlausible('999123456')).toBe(false); // +999 is no calling code
  });

  it('accepts the written forms people use', () => {
    expect(nationalPlausible('US', '4155550123')).toBe(true);
    expect(nationalPlausible('US', '14155550123')).toBe(true); // with the trunk 1
    expect(nationalPlausible('GB', '02079460958')).toBe(true); // with the trunk 0
    expect(nationalPlausible('US', '011442079460958')).toBe(true); // dialled with the IDD prefix
    expect(nationalPlausible('GB', '0055312')).toBe(false); // +55 312 is too short for Brazil
    expect(nationalCertain('US', '17185550155')).toBe(true); // the calling code typed without `+`
    expect(internationalPlausible('442079460958')).toBe(true);
    expect(internationalPlausible('80012345678')).toBe(true); // +800, non-geographic
  });
});
