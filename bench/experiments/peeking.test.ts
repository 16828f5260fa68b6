import { describe, expect, it } from 'vitest';
import { printPeekingReport } from './peeking.js';

describe('printPeekingReport', () => {
  it('prints the A/A false positive rates with alpha beside them, and detection for real effects', () => {
    const lines: string[] = [];
    printPeekingReport((line) => lines.push(line), 'quick');
    const text = lines.join('\n');
    expect(text).toContain('200 simulated experiments per setting, each read at 20 looks');
    expect(text).toMatch(/A\/A, no effect: false positive rate/);
    expect(text).toMatch(/conversion 5%, 95\/5 holdout/);
    expect(text).toMatch(/Real effects: share of experiments detected/);
    // Every method row ends in a percentage and then alpha, or a rate and the times.
    const rows = lines.filter((l) => l.includes('sequential, read at every look'));
    expect(rows.length).toBe(9);
    for (const row of rows.slice(0, 4)) expect(row).toMatch(/\d+\.\d% +5\.0%$/);
    for (const row of rows.slice(4)) expect(row).toMatch(/\d+\.\d% +[\d,]+ +[\d,]+$/);
  });
});
