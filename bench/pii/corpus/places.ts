import { type Rng, UPPER } from './prng.js';

/** Street addresses, UK postcodes in real formats and US ZIP codes with their states. */

const STREET_NAMES = [
  'Oak',
  'Maple',
  'Elm',
  'Cedar',
  'Station',
  'Church',
  'High',
  'Mill',
  'Park',
  'Lakeview',
  'Sunset',
  'Willow',
  'Chestnut',
  'Riverside',
  'Old Mill',
  'North Hill',
];
const STREET_TYPES = [
  'Street',
  'St',
  'Road',
  'Rd',
  'Avenue',
  'Ave',
  'Lane',
  'Drive',
  'Boulevard',
  'Way',
  'Court',
  'Place',
  'Terrace',
  'Close',
  'Crescent',
];

/** A unit written straight after the street, which the ADDRESS span keeps. */
function unit(r: Rng): string {
  return r.pick([
    `Apt ${r.int(1, 30)}${r.pick(['', 'A', 'B', 'C'])}`,
    `Apt. ${r.int(1, 30)}`,
    `Suite ${r.int(1, 9)}00`,
    `Unit ${r.int(1, 40)}`,
    `Flat ${r.int(1, 12)}`,
    `Apartment ${r.int(1, 20)}${r.pick(['', 'B', 'D'])}`,
  ]);
}

/** "742 Oak Street" or "12 Station Road Flat 3": house number through street type, unit if any. */
export function streetAddress(r: Rng, withUnit: boolean): string {
  const street = `${r.int(1, 2400)} ${r.pick(STREET_NAMES)} ${r.pick(STREET_TYPES)}`;
  return withUnit ? `${street} ${unit(r)}` : street;
}

/** US cities with their state and the ZIP range that state uses. */
const US_CITIES: ReadonlyArray<readonly [string, string, number, number]> = [
  ['Springfield', 'IL', 62701, 62796],
  ['Portland', 'OR', 97201, 97299],
  ['Austin', 'TX', 73301, 78799],
  ['Denver', 'CO', 80201, 80299],
  ['Madison', 'WI', 53701, 53794],
  ['Columbus', 'OH', 43085, 43299],
  ['Albany', 'NY', 12201, 12288],
  ['Boise', 'ID', 83701, 83799],
  ['Raleigh', 'NC', 27601, 27699],
  ['Tucson', 'AZ', 85701, 85775],
];

export interface UsPlace {
  city: string;
  state: string;
  zip: string;
}

export function usPlace(r: Rng): UsPlace {
  const [city, state, lo, hi] = r.pick(US_CITIES);
  const zip = String(r.int(lo, hi)).padStart(5, '0');
  return { city, state, zip: r.chance(0.25) ? `${zip}-${r.digits(4)}` : zip };
}

/** UK towns with postcode districts that exist: outward codes in all six formats. */
const UK_TOWNS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['London', ['SW1A', 'EC1A', 'W1D', 'WC2H', 'N1', 'E14', 'SE1', 'NW3', 'E1W']],
  ['Manchester', ['M1', 'M4', 'M14', 'M20']],
  ['Leeds', ['LS1', 'LS6', 'LS11']],
  ['Birmingham', ['B1', 'B15', 'B33']],
  ['Bristol', ['BS1', 'BS8']],
  ['Glasgow', ['G1', 'G12', 'G41']],
  ['Edinburgh', ['EH1', 'EH3', 'EH10']],
  ['Cardiff', ['CF10', 'CF24']],
  ['Oxford', ['OX1', 'OX4']],
  ['Brighton', ['BN1', 'BN2']],
];

/** Letters the inward code uses (never C, I, K, M, O or V). */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export interface UkPlace {
  town: string;
  postcode: string;
}

export function ukPlace(r: Rng): UkPlace {
  const [town, districts] = r.pick(UK_TOWNS);
  const inward = `${r.int(0, 9)}${r.chars(2, INWARD_LETTERS)}`;
  const outward = r.pick(districts);
  return { town, postcode: r.chance(0.1) ? outward + inward : `${outward} ${inward}` };
}

/** A US state code for "IL 62704"-style lines. */
export const US_STATES = US_CITIES.map((c) => c[1]);

/** A product or part code that resembles a postcode but is not one ("AB12 CDE"). */
export function postcodeLikeCode(r: Rng): string {
  return `${r.chars(2, UPPER)}${r.int(10, 99)}-${r.chars(3, UPPER)}`;
}
