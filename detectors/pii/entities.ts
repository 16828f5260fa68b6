/** The kinds of personal data the PII engine recognizes (Presidio's names where Presidio has one). */
export const PII_ENTITIES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
  'PERSON',
  'ADDRESS',
  'POSTCODE',
  'DATE_OF_BIRTH',
  'UK_NINO',
  'PASSPORT',
  'CRYPTO',
  'URL_CREDENTIALS',
] as const;
export type PiiEntity = (typeof PII_ENTITIES)[number];

const ENTITY_SET: ReadonlySet<string> = new Set(PII_ENTITIES);

export function isPiiEntity(value: string): value is PiiEntity {
  return ENTITY_SET.has(value);
}

/**
 * The categories a contract may declare with `pii:` and the entities each
 * covers. An attribute declared as one category may hold those entities
 * without a leak; any other entity found in it is a leak. `free_text` covers
 * every entity, `identifier` none (pseudonymous ids have no recognizer).
 * An entity name (`pii: EMAIL_ADDRESS`) is a category of its own.
 */
export const PII_CATEGORIES: Readonly<Record<string, readonly PiiEntity[]>> = {
  contact: ['EMAIL_ADDRESS', 'PHONE_NUMBER'],
  email: ['EMAIL_ADDRESS'],
  phone: ['PHONE_NUMBER'],
  name: ['PERSON'],
  person: ['PERSON'],
  address: ['ADDRESS', 'POSTCODE'],
  location: ['ADDRESS', 'POSTCODE'],
  financial: ['CREDIT_CARD', 'IBAN_CODE', 'CRYPTO'],
  payment: ['CREDIT_CARD', 'IBAN_CODE', 'CRYPTO'],
  government_id: ['US_SSN', 'UK_NINO', 'PASSPORT'],
  national_id: ['US_SSN', 'UK_NINO', 'PASSPORT'],
  network: ['IP_ADDRESS'],
  date_of_birth: ['DATE_OF_BIRTH'],
  credentials: ['URL_CREDENTIALS'],
  free_text: PII_ENTITIES,
  identifier: [],
};

/** The entities a declared category covers; unknown categories cover none. */
export function entitiesOfCategory(category: string): readonly PiiEntity[] {
  if (isPiiEntity(category)) return [category];
  return PII_CATEGORIES[category] ?? [];
}
