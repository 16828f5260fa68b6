import type { Rng } from './prng.js';

/** Names: first names that are only names, surnames plain and with particles, hyphens and apostrophes. */

export const FIRST_NAMES = [
  'Sarah',
  'James',
  'Priya',
  'Mohammed',
  'Olivia',
  'Liam',
  'Aisha',
  'Lucas',
  'Emma',
  'Hiroshi',
  'Fatima',
  'Mateo',
  'Sofia',
  'Daniel',
  'Ngozi',
  'Elena',
  'Tomasz',
  'Ingrid',
  'Rahul',
  'Amelia',
  'Kwame',
  'Isabella',
  'Oliver',
  'Hannah',
  'Arjun',
  'Claire',
  'Diego',
  'Mei',
  'Thomas',
  'Laura',
];

const PLAIN_SURNAMES = [
  'Thompson',
  'Patel',
  'Nguyen',
  'Garcia',
  'Kowalski',
  'Okafor',
  'Schmidt',
  'Johansson',
  'Tanaka',
  'Rossi',
  'Hughes',
  'Mensah',
  'Fischer',
  'Ivanova',
  'Brennan',
  'Sharma',
  'Dubois',
  'Lindqvist',
  'Haddad',
  'Morales',
];

/** Surnames with particles, apostrophes, hyphens and Mc/Mac: the span keeps all of it. */
const COMPOUND_SURNAMES = [
  'van der Berg',
  'van Dijk',
  'de la Cruz',
  'da Silva',
  'di Stefano',
  'de Jong',
  'von Hoffmann',
  "O'Brien",
  "O'Connor",
  "D'Angelo",
  'Smith-Jones',
  'Garcia-Lopez',
  'Lloyd-Davies',
  'McAllister',
  'MacDonald',
];

export const TITLES = ['Mr', 'Mrs', 'Ms', 'Dr', 'Mr.', 'Mrs.', 'Dr.', 'Prof.'];

export interface Name {
  first: string;
  last: string;
}

export function personName(r: Rng): Name {
  const last = r.chance(0.35) ? r.pick(COMPOUND_SURNAMES) : r.pick(PLAIN_SURNAMES);
  return { first: r.pick(FIRST_NAMES), last };
}

export function fullName(n: Name): string {
  return `${n.first} ${n.last}`;
}

/**
 * Capitalized words that are names elsewhere but ordinary words here
 * ("Will you", "Bill me", "Mark it resolved", "a Rose garden"): never labelled.
 */
export const NAME_WORD_SENTENCES: readonly string[] = [
  'Will you send the replacement today?',
  'Bill me for the extra month, that is fine.',
  'Mark it resolved once the refund lands.',
  'We planted a Rose garden at the office.',
  'Grant access to the shared folder please.',
  'Frank feedback: the app crashes on login.',
  'Hope this helps!',
  'Sandy beaches and Summer sales all week.',
  'Max speed on my plan is 50 Mbps.',
  'Pat the screen dry before using it.',
  'Amber light keeps flashing on the router.',
  'Joy of joys, it finally works.',
  'Chase the courier, the parcel is late.',
  'Carol singers kept ringing the doorbell.',
  'Art supplies arrived damaged.',
  'Dawn delivery slot please, before 7.',
  'Hunter green is the colour I ordered.',
  'Cliff edge pricing on the top tier is painful.',
  'Iris scanner on the phone stopped working.',
  'Jack up the volume and it distorts.',
  'Faith in this service is restored.',
  'Penny for your thoughts on the new UI?',
  'Summer plan upgrade: Will it carry over?',
  'Will do, thanks.',
  'Victoria Station lockers are out of order.',
];

/** Cities people name as places, several of them also given names. */
export const CITIES = [
  'Paris',
  'Washington',
  'Florence',
  'Austin',
  'Charlotte',
  'Victoria',
  'Jackson',
  'Madison',
  'Lincoln',
  'Berlin',
  'Mumbai',
  'Manchester',
  'Sydney',
  'Orlando',
  'Chelsea',
];
