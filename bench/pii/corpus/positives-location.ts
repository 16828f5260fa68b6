import { chat, email, pii, social, t, transcript } from './compose.js';
import { timestamp } from './dates.js';
import { credentialUrl, ipv4, ipv6 } from './network.js';
import { fullName, personName } from './people.js';
import { streetAddress, ukPlace, usPlace } from './places.js';
import type { Rng } from './prng.js';
import { numberWords } from './spoken.js';
import type { Template } from './templates.js';

/** Texts holding street addresses, postcodes, IP addresses and URLs with credentials. */

function address(r: Rng, round: number): string {
  return streetAddress(r, round % 3 === 1);
}

export const ADDRESS_TEMPLATES: readonly Template[] = [
  (r, k) => {
    const p = usPlace(r);
    return chat(
      t`Please ship it to ${pii('ADDRESS', address(r, k))}, ${p.city}, ${p.state} ${pii('POSTCODE', p.zip)} instead`,
    );
  },
  (r, k) => {
    const p = ukPlace(r);
    return email(
      t`Hello,\n\nI've moved. New address:\n${pii('ADDRESS', address(r, k + 1))}\n${p.town} ${pii('POSTCODE', p.postcode)}\n\nThanks`,
    );
  },
  (r, k) => chat(t`Customer: I live at ${pii('ADDRESS', address(r, k + 2))} in ${usPlace(r).city}`),
  (r, k) =>
    social(
      t`@ExampleCourier parcel left at ${pii('ADDRESS', address(r, k))} instead of my door?? not impressed`,
    ),
  (r, k) => {
    const p = usPlace(r);
    return email(
      t`Best regards,\n${pii('PERSON', fullName(personName(r)))}\n${pii('ADDRESS', address(r, k + 1))}\n${p.city}, ${p.state} ${pii('POSTCODE', p.zip)}`,
    );
  },
  (r) => {
    const street = `${numberWords(r.int(2, 99))} ${r.pick(['oak', 'station', 'church', 'mill', 'park'])} ${r.pick(['street', 'road', 'avenue', 'lane'])}`;
    return transcript(
      t`agent: and the first line of the address\ncustomer: it's ${pii('ADDRESS', street)}\nagent: lovely`,
    );
  },
];

export const POSTCODE_TEMPLATES: readonly Template[] = [
  (r) => chat(t`my postcode is ${pii('POSTCODE', ukPlace(r).postcode)}`),
  (r) => chat(t`Customer: zip code ${pii('POSTCODE', usPlace(r).zip)}, does that help?`),
  (r, k) => {
    const p = ukPlace(r);
    return chat(
      t`Deliver to ${pii('ADDRESS', address(r, k))}, ${p.town} ${pii('POSTCODE', p.postcode)} please`,
    );
  },
  (r) => email(t`Billing details\nPostal code: ${pii('POSTCODE', usPlace(r).zip)}\nCountry: US`),
  (r) =>
    social(t`no delivery slots for ${pii('POSTCODE', ukPlace(r).postcode)} again this week @ExampleGrocer`),
  (r) => {
    const p = usPlace(r);
    return chat(t`I'm in ${p.city}, ${p.state} ${pii('POSTCODE', p.zip)} if that matters for shipping`);
  },
];

function ip(r: Rng, round: number): string {
  return round % 3 === 2 ? ipv6(r) : ipv4(r);
}

export const IP_TEMPLATES: readonly Template[] = [
  (r, k) => chat(t`my IP is ${pii('IP_ADDRESS', ip(r, k))} if you need it for the allowlist`),
  (r, k) => email(t`Failed login from ${pii('IP_ADDRESS', ip(r, k + 1))} at ${timestamp(r)}, was this you?`),
  (r) =>
    chat(
      t`the server at ${pii('IP_ADDRESS', ipv4(r))}:${r.pick(['8080', '443', '22', '5432'])} keeps timing out`,
    ),
  (r) => chat(t`Customer: my IPv6 address is ${pii('IP_ADDRESS', ipv6(r))} according to the router page`),
  (r, k) => social(t`@ExampleHost your box at ${pii('IP_ADDRESS', ip(r, k))} is down again`),
  (r) => chat(t`can you reach [${pii('IP_ADDRESS', ipv6(r))}]:443 from your side?`),
];

export const URL_CREDENTIALS_TEMPLATES: readonly Template[] = [
  (r) => chat(t`here's the connection string: ${pii('URL_CREDENTIALS', credentialUrl(r))}`),
  (r) =>
    email(
      t`Hi,\n\nThe export is at ${pii('URL_CREDENTIALS', credentialUrl(r))} and the link expires in 24 hours.`,
    ),
  (r) => chat(t`try ${pii('URL_CREDENTIALS', credentialUrl(r))} and tell me if it loads`),
  (r) =>
    social(t`oops, pasted ${pii('URL_CREDENTIALS', credentialUrl(r))} in the public channel, rotating now`),
];
