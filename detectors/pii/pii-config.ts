import { REDACT_OPERATORS, type RedactOperator } from '../../monitor/registry/contract.js';
import { DEFAULT_THRESHOLD } from './analyzer.js';
import { PII_ENTITIES, type PiiEntity } from './entities.js';

export interface PiiConfig {
  enabled: boolean;
  /** Least score an entity needs to count (0..1). */
  threshold: number;
  /** Entities to look for; null = all. */
  entities: PiiEntity[] | null;
  /** Operator per entity for attributes the contract sets none for; `default` for the rest. */
  operators: Partial<Record<PiiEntity | 'default', RedactOperator>>;
  /** Characters of redacted context kept on each side of a leak in a finding's excerpt. */
  excerptChars: number;
}

export const PII_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', default: true },
    threshold: { type: 'number', minimum: 0, maximum: 1, default: DEFAULT_THRESHOLD },
    entities: {
      type: ['array', 'null'],
      items: { enum: PII_ENTITIES },
      uniqueItems: true,
      default: null,
    },
    operators: {
      type: 'object',
      propertyNames: { enum: [...PII_ENTITIES, 'default'] },
      additionalProperties: { enum: REDACT_OPERATORS },
      default: { default: 'replace' },
    },
    excerptChars: { type: 'integer', minimum: 0, maximum: 1000, default: 40 },
  },
} as const;

/** The defaults, for code that builds a PII engine without a config file. */
export const DEFAULT_PII_CONFIG: PiiConfig = {
  enabled: true,
  threshold: DEFAULT_THRESHOLD,
  entities: null,
  operators: { default: 'replace' },
  excerptChars: 40,
};
