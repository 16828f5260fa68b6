import { badIbanNumber, groupIban, IBAN_COUNTRIES } from './banking.js';
import { formatCard, nonLuhnCardNumber } from './cards.js';
import { formatDate, recentDate, timestamp } from './dates.js';
import { badSsnDigits, formatSsn } from './gov-ids.js';
import { hexIdentifier, plainUrl } from './network.js';
import { CITIES, NAME_WORD_SENTENCES } from './people.js';
import { postcodeLikeCode } from './places.js';
import { DIGITS, type Rng, UPPER } from './prng.js';
import { dictate, numberWords } from './spoken.js';

/**
 * Sentences full of things that look like PII and are not: order, tracking
 * and invoice numbers, timestamps and ordinary dates, versions, decimals,
 * card numbers failing Luhn, IBANs failing mod-97, SKUs, cities, names used
 * as words, plain links, amounts. None of them carries a label.
 */

function amount(r: Rng): string {
  return `${r.pick(['$', '£', '€'])}${r.int(1, 2400).toLocaleString('en-US')}.${r.digits(2)}`;
}

function version(r: Rng): string {
  return r.pick([
    `v${r.int(1, 4)}.${r.int(0, 12)}.${r.int(0, 9)}`,
    `${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(0, 9)}-beta`,
    `10.0.${r.int(17000, 22999)}.${r.int(1000, 4000)}`,
    `v${r.int(1, 12)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(0, 20)}`,
    `${r.int(1, 3)}.${r.int(0, 40)}.${r.int(0, 9)}-rc.${r.int(1, 4)}`,
  ]);
}

function decimal(r: Rng): string {
  return `0.${r.digits(r.int(8, 15))}`;
}

function sku(r: Rng): string {
  return r.pick([
    `SKU-${r.digits(4)}-${r.pick(['XS', 'S', 'M', 'L', 'XL'])}`,
    `PN ${r.digits(4)}-${r.digits(4)}-${r.digits(2)}`,
    postcodeLikeCode(r),
    `${r.chars(3, UPPER)}-${r.digits(6)}`,
  ]);
}

function orderNumber(r: Rng): string {
  return r.pick([
    `#A-${r.digits(8)}`,
    `${r.digits(10)}`,
    `ORD-${r.digits(5)}-${r.digits(2)}`,
    `${r.digits(3)}-${r.digits(7)}-${r.digits(7)}`,
  ]);
}

function tracking(r: Rng): string {
  return r.pick([
    `1Z${r.chars(3, UPPER + DIGITS)}${r.digits(13)}`,
    `9400 ${r.digits(4)} ${r.digits(4)} ${r.digits(4)} ${r.digits(4)} ${r.digits(2)}`,
    `JD${r.digits(16)}`,
  ]);
}

export const WRITTEN_DISTRACTORS: ReadonlyArray<(r: Rng) => string> = [
  (r) =>
    `Order ${orderNumber(r)} shipped on ${formatDate(recentDate(r), r.int(0, 9))}, tracking ${tracking(r)}.`,
  (r) => `Your invoice INV-${r.int(2022, 2026)}-${r.digits(6)} for ${amount(r)} is attached.`,
  (r) => `Updated to ${version(r)} this morning and the bug is still there.`,
  (r) => `We rolled back from ${version(r)} to ${version(r)} after the outage.`,
  (r) => `p99 latency was ${decimal(r)} s over the last hour, error rate ${r.int(0, 9)}.${r.digits(2)}%.`,
  (r) =>
    `The card ending ${r.digits(4)} was charged ${amount(r)} on ${formatDate(recentDate(r), r.int(0, 9))}.`,
  (r) =>
    `Reference ${formatCard(nonLuhnCardNumber(r), r.pick(['space', 'dash', 'none']))} does not match any payment.`,
  (r) => `Transfer ref ${groupIban(badIbanNumber(r, r.pick(IBAN_COUNTRIES)))} was rejected by the bank.`,
  (r) => `${sku(r)} is out of stock, expected back ${formatDate(recentDate(r), r.int(0, 9))}.`,
  (r) =>
    `Meeting moved to ${formatDate(recentDate(r), r.int(0, 9))} at ${r.int(9, 16)}:${r.pick(['00', '15', '30', '45'])}.`,
  (r) => `Flying from ${r.pick(CITIES)} to ${r.pick(CITIES)} next week, so replies may be slow.`,
  (r) => r.pick(NAME_WORD_SENTENCES),
  (r) => `See ${plainUrl(r)} for the steps.`,
  (r) => `Prices went up ${r.int(2, 30)}.${r.int(0, 9)}% so the plan is now ${amount(r)} a month.`,
  (r) => `Ticket ${r.int(10000, 99999)} opened ${timestamp(r)} by the night shift.`,
  (r) => `tx ${hexIdentifier(r)} confirmed after ${r.int(2, 30)} blocks.`,
  (r) => `request id ${hexIdentifier(r)} failed with status ${r.pick(['500', '502', '429'])}.`,
  (r) => `Claim ${formatSsn(badSsnDigits(r), '-')} is still pending review.`,
  (r) => `We shipped ${r.int(10000, 99999)} orders last month across ${r.int(3, 40)} warehouses.`,
  (r) => `firmware ${version(r)} fixed the reboot loop on model ${sku(r)}.`,
  (r) => `Your subscription renews on ${formatDate(recentDate(r), r.int(0, 9))} for ${amount(r)}.`,
  (r) =>
    `Case ${r.int(2022, 2026)}-${r.digits(3)}-${r.digits(4)} was escalated at ${r.int(1, 12)}:${String(r.int(0, 59)).padStart(2, '0')} pm.`,
  (r) =>
    `The stats: ${r.int(1, 9)},${r.digits(3)},${r.digits(3)} requests, ${decimal(r)} mean score, ${r.int(1, 99)}% cache hits.`,
  (r) => `Call-back hours are 9:00-17:00 Mon-Fri, ${r.int(10, 80)} minutes average wait.`,
  (r) =>
    `Our ${r.pick(CITIES)} store was founded on ${formatDate(recentDate(r), r.int(0, 9))} and opens at 8.`,
  (r) => `Room ${r.int(100, 1299)}, floor ${r.int(1, 12)}, desk ${r.int(1, 60)}, ask at reception.`,
  (r) => `ISBN 978-${r.digits(1)}-${r.digits(3)}-${r.digits(5)}-${r.digits(1)} is the edition you want.`,
  (r) => `Build ${r.digits(9)} passed; artifact ${hexIdentifier(r)}.`,
];

/** Numbers and names as a caller says them, none of them PII. */
export const SPOKEN_DISTRACTORS: ReadonlyArray<(r: Rng) => string> = [
  (r) =>
    `customer: i've called like ${r.pick(['two or three', 'three or four', 'five'])} times about this\nagent: i'm sorry about that, give me one second`,
  (r) => `agent: press one for billing or ${r.pick(['two', 'three'])} for technical support`,
  (r) => `customer: it was about ${numberWords(r.int(10, 99))} ${numberWords(r.int(10, 99))} a month`,
  (r) =>
    `agent: that usually takes ${r.pick(['three to five', 'five to seven', 'two or three'])} working days`,
  () => 'customer: one or two of them arrived broken, the other three are fine',
  () => "customer: it's twenty four seven support right",
  (r) =>
    `agent: the total comes to one hundred and ${numberWords(r.int(20, 99))} pounds ${numberWords(r.int(10, 99))}`,
  () => 'customer: will you be able to sort it today',
  () => "agent: okay i'll mark it as resolved then",
  (r) =>
    `customer: i was born in ${r.pick(['manchester', 'ohio', 'a small town', 'paris'])} but i live down south now`,
  (r) =>
    `agent: you need version ${numberWords(r.int(1, 9))} point ${numberWords(r.int(0, 9))} point ${numberWords(r.int(0, 9))} of the app`,
  (r) => `customer: the code on the box is ${dictate(r.digits(4))}`,
  (r) =>
    `customer: it's on the ${r.pick(['second', 'third', 'fifth'])} floor, room ${dictate(String(r.int(100, 999)), { oh: true })}`,
  () => "agent: so that's three items, one of them on back order",
  (r) => `customer: my order number is ${dictate(r.digits(r.int(5, 8)), { oh: r.chance(0.5) })}`,
  (r) => `agent: can you hold for ${r.pick(['two', 'five', 'a couple of'])} minutes while i check`,
  (r) => `customer: i paid nine ninety nine for one month and then ${numberWords(r.int(10, 30))} ninety nine`,
  () => "customer: bill me next month if that's easier",
  () => 'agent: first name, then the last four of your account',
  () => "customer: it's been one week, maybe one and a half",
  (r) =>
    `agent: your reference is ${r.pick(['alpha', 'bravo', 'charlie'])} ${dictate(r.digits(r.int(3, 6)))}`,
  (r) =>
    `customer: the parcel was about ${numberWords(r.int(2, 30))} kilos and it said ${numberWords(r.int(1, 12))} to ${numberWords(r.int(1, 12))} pm`,
];
