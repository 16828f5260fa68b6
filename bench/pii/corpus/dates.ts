import type { Rng } from './prng.js';
import { ordinalWords, yearWords } from './spoken.js';

/** Dates written the ways people write them: labelled as DATE_OF_BIRTH only where birth is the context. */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Day capped at 28 so every month/day pair exists. */
export function birthDate(r: Rng): Ymd {
  return { y: r.int(1940, 2006), m: r.int(1, 12), d: r.int(1, 28) };
}

/** A recent date: deliveries, meetings, invoices. */
export function recentDate(r: Rng): Ymd {
  return { y: r.int(2022, 2026), m: r.int(1, 12), d: r.int(1, 28) };
}

const p2 = (n: number) => String(n).padStart(2, '0');

function ordinal(n: number): string {
  if (n % 10 === 1 && n !== 11) return `${n}st`;
  if (n % 10 === 2 && n !== 12) return `${n}nd`;
  if (n % 10 === 3 && n !== 13) return `${n}rd`;
  return `${n}th`;
}

/** Numeric and textual formats; the date expression only, never the words around it. */
export const DATE_FORMATS: ReadonlyArray<(t: Ymd) => string> = [
  (t) => `${p2(t.d)}/${p2(t.m)}/${t.y}`,
  (t) => `${p2(t.m)}/${p2(t.d)}/${t.y}`,
  (t) => `${t.y}-${p2(t.m)}-${p2(t.d)}`,
  (t) => `${p2(t.d)}.${p2(t.m)}.${t.y}`,
  (t) => `${t.d} ${MONTHS[t.m - 1]} ${t.y}`,
  (t) => `${MONTHS[t.m - 1]} ${t.d}, ${t.y}`,
  (t) => `${ordinal(t.d)} ${MONTHS[t.m - 1]} ${t.y}`,
  (t) => `${MONTHS[t.m - 1]} ${ordinal(t.d)}, ${t.y}`,
  (t) => `${t.d} ${MONTHS[t.m - 1]!.slice(0, 3)} ${t.y}`,
  (t) => `${t.m}/${t.d}/${String(t.y).slice(2)}`,
];

export function formatDate(t: Ymd, i: number): string {
  return DATE_FORMATS[i % DATE_FORMATS.length]!(t);
}

/** A date read aloud in a call: "march fourteenth nineteen eighty five". */
export function spokenDate(t: Ymd): string {
  return `${MONTHS[t.m - 1]!.toLowerCase()} ${ordinalWords(t.d)} ${yearWords(t.y)}`;
}

/** A timestamp as logs and tickets print it. */
export function timestamp(r: Rng): string {
  const t = recentDate(r);
  const time = `${p2(r.int(0, 23))}:${p2(r.int(0, 59))}:${p2(r.int(0, 59))}`;
  return r.chance(0.5) ? `${t.y}-${p2(t.m)}-${p2(t.d)}T${time}Z` : `${t.y}-${p2(t.m)}-${p2(t.d)} ${time}`;
}
