import { describe, expect, it } from 'vitest';
import { matchSpans, scoreCorpus, scoreOf } from './score-spans.js';

const span = (entity: string, start: number, end: number) => ({ entity, start, end });

describe('matchSpans', () => {
  it('matches overlapping spans of the same entity only', () => {
    const m = matchSpans(
      [span('PERSON', 0, 5), span('EMAIL_ADDRESS', 10, 20)],
      [span('PERSON', 3, 8), span('PHONE_NUMBER', 12, 18)],
    );
    expect(m.pairs).toEqual([[0, 0]]);
    expect(m.falsePositives).toEqual([1]);
    expect(m.misses).toEqual([1]);
  });

  it('does not count touching spans as overlapping', () => {
    const m = matchSpans([span('PERSON', 0, 5)], [span('PERSON', 5, 9)]);
    expect(m.pairs).toEqual([]);
  });

  it('matches one to one, largest overlap first', () => {
    // One prediction across two gold spans: it takes the one it covers most; the other is a miss.
    const m = matchSpans([span('ADDRESS', 0, 4), span('ADDRESS', 6, 20)], [span('ADDRESS', 2, 18)]);
    expect(m.pairs).toEqual([[1, 0]]);
    expect(m.misses).toEqual([0]);
    // Two predictions on one gold span: one hit, one false positive.
    const n = matchSpans(
      [span('PHONE_NUMBER', 0, 14)],
      [span('PHONE_NUMBER', 0, 3), span('PHONE_NUMBER', 4, 14)],
    );
    expect(n.pairs).toEqual([[0, 1]]);
    expect(n.falsePositives).toEqual([0]);
  });
});

describe('scoreOf', () => {
  it('computes precision, recall, F1 and the exact rate', () => {
    const s = scoreOf({ tp: 8, fp: 2, fn: 8, exact: 6 });
    expect(s.precision).toBeCloseTo(0.8);
    expect(s.recall).toBeCloseTo(0.5);
    expect(s.f1).toBeCloseTo((2 * (0.8 * 0.5)) / 1.3);
    expect(s.exactRate).toBeCloseTo(0.75);
  });

  it('scores zero, not NaN, when nothing was predicted or expected', () => {
    expect(scoreOf({ tp: 0, fp: 0, fn: 3, exact: 0 })).toMatchObject({
      precision: 0,
      recall: 0,
      f1: 0,
      exactRate: 0,
    });
    expect(scoreOf({ tp: 0, fp: 0, fn: 0, exact: 0 }).f1).toBe(0);
  });
});

describe('scoreCorpus', () => {
  it('scores per entity and micro-averages overall', () => {
    const result = scoreCorpus(
      [
        {
          gold: [span('PERSON', 0, 5), span('CREDIT_CARD', 10, 29)],
          predicted: [span('PERSON', 0, 5), span('CREDIT_CARD', 10, 28)],
        },
        { gold: [span('PERSON', 3, 9)], predicted: [span('IBAN_CODE', 0, 22)] },
        { gold: [], predicted: [span('PERSON', 0, 4)] },
      ],
      ['PERSON', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN'],
    );
    expect(result.byEntity.get('PERSON')).toMatchObject({
      tp: 1,
      fp: 1,
      fn: 1,
      exact: 1,
      precision: 0.5,
      recall: 0.5,
    });
    expect(result.byEntity.get('CREDIT_CARD')).toMatchObject({
      tp: 1,
      fp: 0,
      fn: 0,
      exact: 0,
      f1: 1,
      exactRate: 0,
    });
    expect(result.byEntity.get('IBAN_CODE')).toMatchObject({ tp: 0, fp: 1, fn: 0 });
    expect(result.byEntity.get('US_SSN')).toMatchObject({ tp: 0, fp: 0, fn: 0, f1: 0 });
    expect(result.overall).toMatchObject({ tp: 2, fp: 2, fn: 1, exact: 1, precision: 0.5 });
    expect(result.overall.recall).toBeCloseTo(2 / 3);
  });

  it('counts predictions of entities outside the list', () => {
    const result = scoreCorpus([{ gold: [], predicted: [span('OTHER', 0, 3)] }], ['PERSON']);
    expect(result.byEntity.get('OTHER')).toMatchObject({ fp: 1 });
    expect(result.overall.fp).toBe(1);
  });
});
