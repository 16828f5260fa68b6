import { printPeekingReport } from './peeking.js';
import { printUnitCostReport } from './unit-cost.js';

/**
 * `npm run bench:experiments`: the peeking simulation (false positives of
 * the fixed-horizon and always-valid tests read at every look, detection of
 * real effects) and the holdout detector's cost per event and memory per
 * unit up to a million units. `--quick` runs a small version of both.
 */
const scale = process.argv.includes('--quick') ? 'quick' : 'full';
const write = (line: string) => process.stdout.write(`${line}\n`);
printPeekingReport(write, scale);
write('');
printUnitCostReport(write, scale);
