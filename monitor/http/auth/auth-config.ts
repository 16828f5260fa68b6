import { ROLES, type Role } from './roles.js';

/**
 * The `auth` section. Off by default so a first `npm start` answers; a
 * deployment beside production turns it on with the hashes of its keys
 * (`earshot keys create` prints a key and the line to add).
 *
 * ```yaml
 * auth:
 *   enabled: true
 *   keys:
 *     - { name: checkout-pipeline, hash: "sha256:…", roles: [producer] }
 *     - { name: compliance, hash: "sha256:…", roles: [auditor] }
 *   metrics: open        # or key: any valid key may scrape
 *   rateLimit: { perMinute: 600 }
 * ```
 */
export interface AuthConfig {
  enabled: boolean;
  keys: Array<{ name: string; hash: string; roles: Role[] }>;
  metrics: 'open' | 'key';
  health: 'open' | 'key';
  /** Requests a key (or, without one, an address) may make per minute; 0 is no limit. */
  rateLimit: { perMinute: number };
}

export const AUTH_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { type: 'boolean', default: false },
    keys: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'hash', 'roles'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' },
          hash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
          roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...ROLES] } },
        },
      },
    },
    metrics: { enum: ['open', 'key'], default: 'open' },
    health: { enum: ['open', 'key'], default: 'open' },
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { perMinute: { type: 'integer', minimum: 0, default: 0 } },
    },
  },
} as const;
