import { groupIban, IBAN_COUNTRIES, ibanNumber } from './banking.js';
import { CARD_SCHEMES, type CardStyle, cardGroups, cardNumber, formatCard } from './cards.js';
import { chat, email, pii, social, t, transcript } from './compose.js';
import { CRYPTO_ADDRESSES } from './network.js';
import { fullName, personName } from './people.js';
import type { Rng } from './prng.js';
import { dictate, randomDictation } from './spoken.js';
import { nth, type Template } from './templates.js';

/** Texts holding card numbers, IBANs and wallet addresses. */

const CARD_STYLES: readonly CardStyle[] = ['space', 'dash', 'none'];

function card(r: Rng, round: number): string {
  return formatCard(cardNumber(r, nth(CARD_SCHEMES, round)), nth(CARD_STYLES, round + r.int(0, 2)));
}

function spokenCard(r: Rng, round: number): string {
  const digits = cardNumber(r, nth(CARD_SCHEMES, round));
  return dictate(digits, { ...randomDictation(r, cardGroups(digits)), double: false });
}

export const CARD_TEMPLATES: readonly Template[] = [
  (r, k) => chat(t`Customer: My card number is ${pii('CREDIT_CARD', card(r, k))}, expiry 08/27.`),
  (r, k) => chat(t`Can you charge ${pii('CREDIT_CARD', card(r, k + 1))} instead? The old one expired.`),
  (r, k) =>
    email(
      t`Subject: Payment failed\n\nHello,\n\nPlease update my payment method to ${pii('CREDIT_CARD', card(r, k + 2))} and retry the charge.\n\nThanks`,
    ),
  (r, k) =>
    social(t`@ExampleBank why was ${pii('CREDIT_CARD', card(r, k + 3))} declined twice today?? #fail`),
  (r, k) =>
    transcript(
      t`agent: can i take the long number on the front of the card please\ncustomer: yes it's ${pii('CREDIT_CARD', spokenCard(r, k))}\nagent: and the expiry date`,
    ),
  (r, k) => chat(t`visa ${pii('CREDIT_CARD', card(r, k + 1))} cvv sent separately`),
];

function iban(r: Rng, round: number): string {
  const compact = ibanNumber(r, nth(IBAN_COUNTRIES, round));
  return r.chance(0.5) ? groupIban(compact) : compact;
}

export const IBAN_TEMPLATES: readonly Template[] = [
  (r, k) => chat(t`my IBAN is ${pii('IBAN_CODE', iban(r, k))}`),
  (r, k) =>
    email(
      t`Hello,\n\nPlease refund the deposit to IBAN ${pii('IBAN_CODE', iban(r, k + 3))}.\n\nRegards,\n${pii('PERSON', fullName(personName(r)))}`,
    ),
  (r, k) =>
    chat(
      t`Bank details: ${pii('IBAN_CODE', iban(r, k + 5))} (account holder ${pii('PERSON', fullName(personName(r)))})`,
    ),
  (r, k) => email(t`Kindly transfer the balance to ${pii('IBAN_CODE', iban(r, k + 7))} by Friday.`),
  (r, k) =>
    social(t`@ExampleBank transfer to ${pii('IBAN_CODE', iban(r, k + 2))} still pending after 3 days`),
  (r, k) => chat(t`Send it to ${pii('IBAN_CODE', iban(r, k + 9))} please, same as last time`),
];

function wallet(r: Rng): string {
  return r.pick(CRYPTO_ADDRESSES);
}

export const CRYPTO_TEMPLATES: readonly Template[] = [
  (r) =>
    chat(
      t`You can pay the ${r.pick(['refund', 'difference', 'bonus', 'deposit'])} to my wallet ${pii('CRYPTO', wallet(r))}`,
    ),
  (r) =>
    social(t`${r.pick(['Tips welcome', 'Donations', 'Support the stream'])}: ${pii('CRYPTO', wallet(r))} 🙏`),
  (r) =>
    email(
      t`Hi,\n\nOur wallet address for invoice ${String(r.int(1000, 9999))} is ${pii('CRYPTO', wallet(r))}. Please confirm once sent.\n\nThanks`,
    ),
  (r) =>
    chat(t`send ${r.pick(['it', 'the refund', 'the rest', 'my payout'])} to ${pii('CRYPTO', wallet(r))}`),
  (r) =>
    chat(
      t`Customer: I used ${pii('CRYPTO', wallet(r))} ${r.pick(['yesterday', 'this morning', 'on Monday', 'last week'])}, was that the wrong address?`,
    ),
];
