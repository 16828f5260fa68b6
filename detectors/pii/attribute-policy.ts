import type { AttributeGovernance, Contract, RedactOperator } from '../../monitor/registry/contract.js';
import { entitiesOfCategory, type PiiEntity } from './entities.js';

/** What the contract says about one attribute, compiled for the hot path. */
export interface AttributePolicy {
  /** Entities the attribute may hold without a leak (declared PII of that category). */
  allowed: ReadonlySet<PiiEntity>;
  /** The declared entities, when the contract says the attribute holds PII of a recognizable kind. */
  declared: readonly PiiEntity[];
  /** The value as a whole is the personal data (an email field, a user id): operators act on all of it. */
  wholeValue: boolean;
  /** The operator the contract sets for an entity, or undefined to fall back to configuration. */
  operatorFor(entity: PiiEntity | null): RedactOperator | undefined;
}

export type ContractPolicy = ReadonlyMap<string, AttributePolicy>;

const EMPTY: ReadonlySet<PiiEntity> = new Set();

function compile(rule: AttributeGovernance): AttributePolicy {
  const category = rule.pii;
  const declared = rule.declared && category ? entitiesOfCategory(category) : [];
  const redact = rule.redact;
  const operatorFor = (entity: PiiEntity | null): RedactOperator | undefined => {
    if (redact === undefined) return undefined;
    if (typeof redact === 'string') return redact;
    return (entity ? redact[entity] : undefined) ?? redact.default;
  };
  return {
    allowed: declared.length > 0 ? new Set(declared) : EMPTY,
    declared: category === 'free_text' ? [] : declared,
    // Free text holds PII among other words; any other governed attribute is personal data through and through.
    wholeValue: category !== 'free_text',
    operatorFor,
  };
}

const cache = new WeakMap<Contract, ContractPolicy>();

/** The compiled policy of a contract's attributes, keyed by pointer; compiled once per contract version. */
export function contractPolicy(contract: Contract): ContractPolicy {
  let policy = cache.get(contract);
  if (!policy) {
    policy = new Map(Object.entries(contract.attributes).map(([pointer, rule]) => [pointer, compile(rule)]));
    cache.set(contract, policy);
  }
  return policy;
}
