import { chat, email, pii, social, t, transcript } from './compose.js';
import { emailAddress } from './network.js';
import { fullName, personName, TITLES } from './people.js';
import { dictatablePhone, PHONE_COUNTRIES, phoneFormatCount, phoneNumber } from './phones.js';
import { dictate, randomDictation } from './spoken.js';
import { nth, type Template } from './templates.js';

/** Texts holding names, email addresses and phone numbers. */

function phoneAt(r: Parameters<Template>[0], round: number): string {
  const country = nth(PHONE_COUNTRIES, round);
  return phoneNumber(
    r,
    country,
    Math.floor(round / PHONE_COUNTRIES.length) + r.int(0, phoneFormatCount(country)),
  );
}

export const PERSON_TEMPLATES: readonly Template[] = [
  (r) => chat(t`Hi ${pii('PERSON', personName(r).first)}, thanks for getting back to me so quickly.`),
  (r) => chat(t`Customer: Hello, my name is ${pii('PERSON', fullName(personName(r)))} and I can't log in.`),
  (r) => {
    const n = personName(r);
    return email(
      t`Subject: Your refund\n\nDear ${r.pick(TITLES)} ${pii('PERSON', n.last)},\n\nYour refund has been processed and should arrive within 5 working days.\n\nKind regards,\nCustomer Care`,
    );
  },
  (r) =>
    email(
      t`Thanks for the quick fix, everything works again.\n\nBest regards,\n${pii('PERSON', fullName(personName(r)))}`,
    ),
  (r) =>
    social(
      t`Huge thanks to ${pii('PERSON', fullName(personName(r)))} at @ExampleCo support for sorting my account out today`,
    ),
  (r) =>
    chat(
      t`Agent: This is ${pii('PERSON', personName(r).first)} from the ${r.pick(['billing', 'returns', 'accounts', 'tech support'])} team, how can I help?`,
    ),
  (r) =>
    chat(
      t`Could you ask ${r.pick(TITLES)} ${pii('PERSON', fullName(personName(r)))} to call me back tomorrow?`,
    ),
  (r) =>
    email(
      t`Hi ${pii('PERSON', personName(r).first)},\n\nI've copied my colleague ${pii('PERSON', fullName(personName(r)))}, who handles our invoices.\n\nCheers,\n${pii('PERSON', personName(r).first)}`,
    ),
  (r) =>
    transcript(
      t`agent: can i take your full name please\ncustomer: yeah it's ${pii('PERSON', fullName(personName(r)))}\nagent: thank you`,
    ),
  (r) =>
    chat(
      t`I spoke with ${pii('PERSON', fullName(personName(r)))} yesterday and was told the replacement had shipped.`,
    ),
];

export const EMAIL_TEMPLATES: readonly Template[] = [
  (r) => {
    const n = personName(r);
    return chat(
      t`Customer: you can email me at ${pii('EMAIL_ADDRESS', emailAddress(r, n.first, n.last))} if that's easier`,
    );
  },
  (r) => {
    const n = personName(r);
    return email(
      t`Hello,\n\nPlease send the invoice to ${pii('EMAIL_ADDRESS', emailAddress(r, n.first, n.last))}, not my old address.\n\nThanks`,
    );
  },
  (r) => {
    const n = personName(r);
    return social(
      t`DM'd you twice, or reach me at ${pii('EMAIL_ADDRESS', emailAddress(r, n.first, n.last))} #customerservice`,
    );
  },
  (r) => {
    const n = personName(r);
    return chat(
      t`Agent: I've updated your contact email to ${pii('EMAIL_ADDRESS', emailAddress(r, n.first, n.last))}.`,
    );
  },
  (r) => {
    const n = personName(r);
    return email(
      t`From: ${pii('PERSON', fullName(n))} <${pii('EMAIL_ADDRESS', emailAddress(r, n.first, n.last))}>\nTo: ${pii('EMAIL_ADDRESS', 'support@example.com')}\nSubject: Refund request\n\nOrder 48213 arrived broken.`,
    );
  },
  (r, round) => {
    const n = personName(r);
    return chat(
      t`my email is ${pii('EMAIL_ADDRESS', emailAddress(r, n.first, n.last))} and my phone is ${pii('PHONE_NUMBER', phoneAt(r, round))}`,
    );
  },
];

export const PHONE_TEMPLATES: readonly Template[] = [
  (r, round) => chat(t`Customer: Please call me on ${pii('PHONE_NUMBER', phoneAt(r, round))} after 5pm.`),
  (r, round) =>
    email(
      t`Thanks for your help today.\n\nBest,\n${pii('PERSON', fullName(personName(r)))}\nMobile: ${pii('PHONE_NUMBER', phoneAt(r, round + 1))}`,
    ),
  (r, round) =>
    social(
      t`@ExampleAir on hold for 2 hours now, call me back at ${pii('PHONE_NUMBER', phoneAt(r, round + 2))} please`,
    ),
  (r, round) => chat(t`my number changed, it's now ${pii('PHONE_NUMBER', phoneAt(r, round + 3))}`),
  (r) => {
    const { digits, groups } = dictatablePhone(r);
    return transcript(
      t`agent: what's the best number to reach you on\ncustomer: it's ${pii('PHONE_NUMBER', dictate(digits, randomDictation(r, groups)))}\nagent: lovely thank you`,
    );
  },
  (r, round) => chat(t`Tel: ${pii('PHONE_NUMBER', phoneAt(r, round + 4))} ext 204, ask for accounts`),
];
