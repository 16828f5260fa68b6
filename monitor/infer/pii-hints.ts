import type { AttributeGovernance } from '../registry/contract.js';
import type { ObservedAttribute } from './infer-schema.js';

/** Kinds of personal data a draft contract flags for review. */
export type PiiKind = 'contact' | 'name' | 'address' | 'free_text' | 'identifier';

/** Lower-case words of a key: `customerEmail`, `customer_email` and `customer-email` all give [customer, email]. */
export function keyTokens(key: string): string[] {
  return key
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const EMAIL = new Set(['email', 'mail']);
const PHONE = new Set(['phone', 'mobile', 'tel', 'telephone', 'msisdn', 'cellphone']);
const PHONE_TAIL = new Set([...PHONE, 'number', 'no', 'num']);
const NAME_QUALIFIER = new Set([
  'first',
  'last',
  'full',
  'given',
  'family',
  'middle',
  'display',
  'customer',
  'user',
  'contact',
  'agent',
  'sender',
  'recipient',
  'caller',
  'person',
]);
const NAME_WORD = new Set(['firstname', 'lastname', 'fullname', 'surname', 'forename']);
const ADDRESS_WORD = new Set(['street', 'postcode', 'postal', 'zip', 'zipcode']);
const FREE_TEXT = new Set([
  'text',
  'body',
  'message',
  'content',
  'transcript',
  'utterance',
  'comment',
  'comments',
  'note',
  'notes',
  'subject',
  'prompt',
  'reply',
  'feedback',
  'summary',
]);
const IDENTIFIER_TAIL = new Set(['id', 'ids', 'uuid', 'guid', 'key']);

/** Keys naming an identifier: many distinct values by nature, so never an enum whatever a sample shows. */
export function isIdentifierKey(key: string): boolean {
  const tokens = keyTokens(key);
  const last = tokens.at(-1) ?? '';
  return IDENTIFIER_TAIL.has(last) || key === 'schema_version' || key === 'version';
}

/**
 * The kind of personal data a key names, judged from the key and the keys
 * above it (`/customer/address/city` is an address). A heuristic for a
 * draft: a reviewer confirms or removes each hint.
 */
export function piiKindByName(path: string[]): PiiKind | undefined {
  const key = path.at(-1);
  if (key === undefined) return undefined;
  const tokens = keyTokens(key);
  const last = tokens.at(-1);
  if (last === undefined || IDENTIFIER_TAIL.has(last)) return undefined;
  const prev = tokens.at(-2);
  if (tokens.some((t) => EMAIL.has(t)) && (EMAIL.has(last) || last === 'address' || last === 'addr')) {
    return 'contact';
  }
  if (tokens.some((t) => PHONE.has(t)) && PHONE_TAIL.has(last)) return 'contact';
  if (tokens.includes('ip') && (last === 'ip' || last === 'address' || last === 'addr')) return 'identifier';
  if (NAME_WORD.has(last) || (last === 'name' && (prev === undefined || NAME_QUALIFIER.has(prev)))) {
    return 'name';
  }
  if (last === 'address' || last === 'addr' || tokens.some((t) => ADDRESS_WORD.has(t))) return 'address';
  if (FREE_TEXT.has(last)) return 'free_text';
  const parents = path.slice(0, -1).flatMap(keyTokens);
  if (parents.at(-1) === 'address' || parents.at(-1) === 'addr') return 'address';
  return undefined;
}

/**
 * Governance hint for an attribute whose values or name look like personal
 * data: e-mail values and IP addresses by their format, the rest by name.
 * Only attributes that hold strings get one: redaction masks strings.
 */
export function piiHint(attr: ObservedAttribute): AttributeGovernance | undefined {
  if (attr.stats.strings === 0) return undefined;
  let kind: PiiKind | undefined;
  if (attr.format === 'email') kind = 'contact';
  else if (attr.format === 'ipv4') kind = 'identifier';
  else if (attr.format === undefined) kind = piiKindByName(attr.path);
  return kind ? { pii: kind, redact: 'mask' } : undefined;
}
