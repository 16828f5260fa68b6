import { saltedHash, setHashSalt } from '../findings/safe-token.js';
import { openStore } from '../store/open-store.js';
import { loadCliConfig } from './cli-config.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';

export const CONSENT_ERASE_HELP = `Usage: earshot consent erase USER_ID

Carries out an erasure request: deletes the user's consent records from the
store and replaces the user id in retained consent checks with its salted
hash (privacy.hashSalt), so the compliance report's counts stay right while
nothing links them to the person. The erasure is recorded in the audit log
under the hash. Prints the hash and what was removed.

A running earshot serve keeps recent records in memory: use
DELETE /v1/consent/:user_id there instead, or stop it first (an embedded
data directory takes one process at a time anyway).

Exit codes: 0 done (also when nothing was stored for the user), 2 usage error
or the store cannot be written.
`;

/** `earshot consent erase USER_ID`. Returns the exit code. */
export async function runConsentErase(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout.write(CONSENT_ERASE_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1 || positionals[0] === '') throw new UsageError('give exactly one USER_ID');
  const user = positionals[0]!;
  const config = await loadCliConfig(io.env);
  if (!config.privacy.hashSalt) {
    throw new UsageError(
      'set privacy.hashSalt (EARSHOT_HASH_SALT): an erasure must hash users as the server does',
    );
  }
  setHashSalt(config.privacy.hashSalt);
  const store = await openStore({ url: config.store.url ?? undefined, dataDir: config.store.dataDir });
  try {
    const hash = saltedHash(user);
    const result = await store.consent.erase(user, hash);
    io.stdout.write(
      `erased user ${hash}: ${result.records_pseudonymized} consent records and ${result.checks_pseudonymized} checks pseudonymized\n`,
    );
  } finally {
    await store.close();
  }
  return EXIT_OK;
}
