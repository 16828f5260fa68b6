import { generateKey, hashKey } from '../http/auth/api-keys.js';
import type { AuthConfig } from '../http/auth/auth-config.js';
import { ROLES } from '../http/auth/roles.js';

/**
 * A key per role for a demo whose configuration has no auth of its own, so
 * the demo runs as a deployment would (every route behind its role) and a
 * user can still try each route: the keys are printed at start.
 */
export function demoKeys(base: AuthConfig): {
  auth: AuthConfig;
  keys: Array<{ role: string; key: string }>;
  banner: string;
} {
  const made = ROLES.map((role) => ({ role, key: generateKey() }));
  const auth: AuthConfig = {
    ...base,
    enabled: true,
    keys: made.map(({ role, key }) => ({ name: `demo-${role}`, hash: hashKey(key), roles: [role] })),
  };
  const banner =
    'API keys for this demo (send as Authorization: Bearer <key>):\n' +
    made.map(({ role, key }) => `  ${role.padEnd(9)} ${key}\n`).join('');
  return { auth, keys: made, banner };
}
