import { chat, email, pii, social, t, transcript } from './compose.js';
import { birthDate, formatDate, recentDate, spokenDate } from './dates.js';
import { formatNino, formatSsn, ninoNumber, PASSPORT_KINDS, passportNumber, ssnDigits } from './gov-ids.js';
import { fullName, personName } from './people.js';
import { ukPlace } from './places.js';
import type { Rng } from './prng.js';
import { dictate, randomDictation } from './spoken.js';
import { nth, type Template } from './templates.js';

/** Texts holding SSNs, National Insurance numbers, passport numbers and dates of birth. */

const SSN_SEPARATORS = ['-', ' ', ''] as const;

function ssn(r: Rng, round: number): string {
  return formatSsn(ssnDigits(r), nth(SSN_SEPARATORS, round));
}

export const SSN_TEMPLATES: readonly Template[] = [
  (r, k) => chat(t`Customer: my SSN is ${pii('US_SSN', ssn(r, k))}`),
  (r, k) => email(t`For the tax form, my Social Security Number is ${pii('US_SSN', ssn(r, k + 1))}.`),
  (r, k) => chat(t`last time you asked for my social, it's ${pii('US_SSN', ssn(r, k + 2))}`),
  (r) =>
    transcript(
      t`agent: and for verification your social security number please\ncustomer: ${pii('US_SSN', dictate(ssnDigits(r), randomDictation(r, [3, 2, 4])))}`,
    ),
  (r, k) =>
    email(
      t`Employee: ${pii('PERSON', fullName(personName(r)))}\nSSN: ${pii('US_SSN', ssn(r, k))}\nStart date: ${formatDate(recentDate(r), k)}`,
    ),
  (r, k) =>
    social(t`why does the form want my ssn ${pii('US_SSN', ssn(r, k + 1))} in plain text?? @ExampleTax`),
];

function nino(r: Rng, round: number): string {
  return formatNino(ninoNumber(r), round % 2 === 0);
}

export const NINO_TEMPLATES: readonly Template[] = [
  (r, k) => chat(t`My National Insurance number is ${pii('UK_NINO', nino(r, k))}.`),
  (r, k) =>
    email(t`NI number: ${pii('UK_NINO', nino(r, k + 1))}\nName: ${pii('PERSON', fullName(personName(r)))}`),
  (r, k) => chat(t`NINO ${pii('UK_NINO', nino(r, k))} - can you check my contributions record?`),
  (r, k) => chat(t`Customer: it's ${pii('UK_NINO', nino(r, k + 1))} I think, it's on my payslip`),
  (r, k) =>
    email(
      t`Hello,\n\nmy national insurance no. is ${pii('UK_NINO', nino(r, k))}, please update it.\n\nThanks`,
    ),
];

/** Mostly the common book formats; German and French ones now and then. */
function passport(r: Rng, round: number): string {
  return passportNumber(
    r,
    r.chance(0.15) ? nth(PASSPORT_KINDS.slice(3), round) : nth(PASSPORT_KINDS, round % 3),
  );
}

export const PASSPORT_TEMPLATES: readonly Template[] = [
  (r, k) => chat(t`My passport number is ${pii('PASSPORT', passport(r, k))}.`),
  (r, k) =>
    email(t`Passport No. ${pii('PASSPORT', passport(r, k + 1))}, expiry ${formatDate(recentDate(r), 2)}`),
  (r, k) => chat(t`passport # ${pii('PASSPORT', passport(r, k + 2))}`),
  (r, k) =>
    email(
      t`Please find my details: ${pii('PERSON', fullName(personName(r)))}, passport ${pii('PASSPORT', passport(r, k))}, nationality British.`,
    ),
  (r, k) => chat(t`Customer: the number on my passport is ${pii('PASSPORT', passport(r, k + 1))}`),
];

function dob(r: Rng, round: number): string {
  return formatDate(birthDate(r), round);
}

export const DOB_TEMPLATES: readonly Template[] = [
  (r, k) => chat(t`Customer: my date of birth is ${pii('DATE_OF_BIRTH', dob(r, k))}`),
  (r, k) => {
    const p = ukPlace(r);
    return email(
      t`Full name: ${pii('PERSON', fullName(personName(r)))}\nDOB: ${pii('DATE_OF_BIRTH', dob(r, k + 1))}\nPostcode: ${pii('POSTCODE', p.postcode)}`,
    );
  },
  (r, k) => chat(t`I was born on ${pii('DATE_OF_BIRTH', dob(r, k + 2))} if that helps verify it's me`),
  (r, k) =>
    social(t`my birthday is ${pii('DATE_OF_BIRTH', dob(r, k + 3))} and still no discount code @ExampleShop`),
  (r) =>
    transcript(
      t`agent: can you confirm your date of birth for me\ncustomer: ${pii('DATE_OF_BIRTH', spokenDate(birthDate(r)))}`,
    ),
  (r, k) =>
    chat(
      t`D.O.B. ${pii('DATE_OF_BIRTH', dob(r, k + 4))}, account opened ${formatDate(recentDate(r), k + 5)}`,
    ),
  (r, k) =>
    email(
      t`Date of birth: ${pii('DATE_OF_BIRTH', dob(r, k + 5))}\n\nI placed the order on ${formatDate(recentDate(r), k + 2)} and it never came.`,
    ),
];
