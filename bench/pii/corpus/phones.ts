import { phoneValid } from '../../../detectors/pii/phone-rules.js';
import type { Rng } from './prng.js';

/**
 * Phone numbers in the ways people write them in five countries, each kept
 * only if libphonenumber-js calls it valid, so every label is a real-format
 * number. US numbers use the fictional 555-01xx lines; UK ones Ofcom's
 * drama ranges where they exist.
 */

export type PhoneCountry = 'US' | 'GB' | 'DE' | 'FR' | 'IN';
export const PHONE_COUNTRIES: readonly PhoneCountry[] = ['US', 'GB', 'DE', 'FR', 'IN'];

const US_AREAS = ['201', '202', '212', '213', '305', '312', '415', '503', '617', '646', '702', '718', '917'];

type Format = (r: Rng) => string;

function us(r: Rng): [string, string, string] {
  return [r.pick(US_AREAS), '555', `01${r.digits(2)}`];
}

const FORMATS: Record<PhoneCountry, readonly Format[]> = {
  US: [
    (r) => {
      const [a, e, l] = us(r);
      return `(${a}) ${e}-${l}`;
    },
    (r) => us(r).join('-'),
    (r) => us(r).join('.'),
    (r) => us(r).join(' '),
    (r) => `+1 ${us(r).join(' ')}`,
    (r) => `+1-${us(r).join('-')}`,
    (r) => `1-${us(r).join('-')}`,
    (r) => `+1 (${us(r)[0]}) 555-01${r.digits(2)}`,
  ],
  GB: [
    (r) => `020 7946 0${r.digits(3)}`,
    (r) => `+44 20 7946 0${r.digits(3)}`,
    (r) => `07700 900${r.digits(3)}`,
    (r) => `0161 496 0${r.digits(3)}`,
    (r) => `+44 161 496 0${r.digits(3)}`,
    (r) => `0113 496 0${r.digits(3)}`,
    (r) => `+44 7${r.pick(['400', '500', '700', '800', '900'])} ${r.digits(6)}`,
    (r) => `07${r.pick(['400', '500', '700', '800', '900'])} ${r.digits(3)} ${r.digits(3)}`,
  ],
  DE: [
    (r) => `+49 30 ${r.digits(8)}`,
    (r) => `030 ${r.digits(8)}`,
    (r) => `+49 ${r.pick(['151', '160', '170', '176'])} ${r.digits(8)}`,
    (r) => `0${r.pick(['151', '160', '170', '176'])} ${r.digits(8)}`,
    (r) => `+49 89 ${r.digits(3)} ${r.digits(4)}`,
    (r) => `+49 (0)30 ${r.digits(8)}`,
    (r) => `0049 40 ${r.digits(7)}`,
  ],
  FR: [
    (r) => `01 ${pairs(r, 4)}`,
    (r) => `0${r.pick(['6', '7'])} ${pairs(r, 4)}`,
    (r) => `+33 ${r.pick(['1', '6', '7'])} ${pairs(r, 4)}`,
    (r) => `+33${r.pick(['1', '6', '7'])}${r.digits(8)}`,
    (r) => `0${r.pick(['1', '4', '6'])}.${pairs(r, 4).replaceAll(' ', '.')}`,
    (r) => `0${r.pick(['6', '7'])}${r.digits(8)}`,
  ],
  IN: [
    (r) => `+91 ${r.pick(['98', '97', '91', '88', '70'])}${r.digits(3)} ${r.digits(5)}`,
    (r) => `+91-${r.pick(['98', '97', '91', '88', '70'])}${r.digits(3)}-${r.digits(5)}`,
    (r) => `0${r.pick(['98', '97', '91', '88'])}${r.digits(3)} ${r.digits(5)}`,
    (r) => `+91 22 ${r.digits(4)} ${r.digits(4)}`,
    (r) => `+91${r.pick(['98', '97', '91'])}${r.digits(8)}`,
  ],
};

function pairs(r: Rng, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.digits(2));
  return out.join(' ');
}

/** A valid number of `country` in one of its written formats (format `i` if given). */
export function phoneNumber(r: Rng, country: PhoneCountry, i?: number): string {
  const formats = FORMATS[country];
  const format = i === undefined ? r.pick(formats) : formats[i % formats.length]!;
  for (let tries = 0; tries < 200; tries++) {
    const phone = format(r);
    if (phoneValid(phone)) return phone;
  }
  throw new Error(`no valid ${country} phone from format ${formats.indexOf(format)}`);
}

export function phoneFormatCount(country: PhoneCountry): number {
  return FORMATS[country].length;
}

/** National digits of a valid US or UK number, for dictation in transcripts. */
export function dictatablePhone(r: Rng): { digits: string; groups: number[] } {
  for (;;) {
    if (r.chance(0.5)) {
      const digits = us(r).join('');
      if (phoneValid(digits)) return { digits, groups: [3, 3, 4] };
    } else {
      const digits = r.chance(0.5) ? `0207946${r.digits(4)}` : `07700900${r.digits(3)}`;
      if (phoneValid(digits)) return { digits, groups: digits.startsWith('020') ? [3, 4, 4] : [5, 6] };
    }
  }
}
