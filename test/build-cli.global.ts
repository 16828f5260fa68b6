import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { packageRoot } from '../monitor/config/package-root.js';

/**
 * Builds dist/ once before any test file runs: the tests that start earshot
 * as a user does (`node dist/monitor/cli/main.js`) run the code under test,
 * and two files building at once would read each other's half-written output.
 */
export default async function setup(): Promise<void> {
  await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: packageRoot() });
}
