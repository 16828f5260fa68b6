import { describe, expect, it } from 'vitest';
import { checkTargets, scoreTable } from './report.js';
import { scoreCorpus } from './score-spans.js';

const span = (entity: string, start: number, end: number) => ({ entity, start, end });

const score = scoreCorpus(
  [
    {
      gold: [span('PERSON', 0, 5), span('CREDIT_CARD', 10, 29)],
      predicted: [span('PERSON', 0, 5), span('CREDIT_CARD', 10, 29)],
    },
    { gold: [span('US_SSN', 0, 11)], predicted: [span('PHONE_NUMBER', 0, 11)] },
  ],
  ['PERSON', 'CREDIT_CARD', 'US_SSN', 'PHONE_NUMBER'],
);

describe('checkTargets', () => {
  it('judges each target on the measured figures', () => {
    const checks = checkTargets(score, ['PERSON', 'CREDIT_CARD', 'US_SSN', 'PHONE_NUMBER'], 3.5);
    expect(checks.map((c) => [c.met, c.detail])).toEqual([
      [false, '0.667'],
      // US_SSN was never predicted: no precision to judge, its recall fails instead.
      [false, 'below: PHONE_NUMBER'],
      [false, 'below: US_SSN, PHONE_NUMBER'],
      [true, '3.50x'],
    ]);
  });
});

describe('scoreTable', () => {
  it('prints a row per entity, the overall row, and "-" for undefined precision', () => {
    const table = scoreTable(
      ['PERSON', 'US_SSN'],
      [['earshot', score]],
      new Map([
        ['PERSON', 1],
        ['US_SSN', 1],
      ]),
    );
    const lines = table.split('\n');
    expect(lines.find((l) => l.startsWith('PERSON'))).toMatch(
      /PERSON\s+1\s+100\.0\s+100\.0\s+100\.0\s+100\.0$/,
    );
    expect(lines.find((l) => l.startsWith('US_SSN'))).toMatch(/US_SSN\s+1\s+-\s+0\.0\s+0\.0\s+-$/);
    expect(lines.at(-1)).toMatch(/^OVERALL\s+2\s+/);
  });
});
