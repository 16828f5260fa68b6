import { generateKey, hashKey } from '../http/auth/api-keys.js';
import { ROLES, type Role } from '../http/auth/roles.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';

export const KEYS_CREATE_HELP = `Usage: earshot keys create --name NAME --roles ROLE[,ROLE...]

Makes a new API key and prints it once, with the line to add under
auth.keys in the configuration file. earshot keeps only the key's SHA-256
hash, so the key itself cannot be recovered later: hand it to its holder now.

Roles: producer (send events, redact), operator (findings, monitors,
experiments, contracts), auditor (consent reports, subject timelines,
erasure).

Options:
  --name NAME     who holds the key (letters, digits, . _ -), shown in logs and 403s
  --roles LIST    comma-separated roles
  -h, --help      show this help
`;

/** `earshot keys create`. Returns the exit code. */
export async function runKeysCreate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    name: { type: 'string' },
    roles: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(KEYS_CREATE_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const name = values.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new UsageError('--name is required: letters, digits, . _ - (at most 64)');
  }
  const roles = String(values.roles ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--roles takes ${ROLES.join(', ')}${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}`,
    );
  }
  const key = generateKey();
  io.stdout.write(
    `key:  ${key}\n` +
      `add under auth.keys:\n` +
      `  - { name: "${name}", hash: "${hashKey(key)}", roles: [${(roles as Role[]).join(', ')}] }\n`,
  );
  return EXIT_OK;
}
