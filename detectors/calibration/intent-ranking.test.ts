import { describe, expect, it } from 'vitest';
import { IntentRanking } from './intent-ranking.js';

describe('IntentRanking', () => {
  it('takes any intent until ranked, then only the most frequent', () => {
    const r = new IntentRanking(2);
    for (const [intent, n] of [
      ['greeting', 1],
      ['refund', 5],
      ['billing', 3],
    ] as const) {
      for (let i = 0; i < n; i++) r.count(intent);
    }
    expect(r.tracks('greeting')).toBe(true);
    r.rank();
    expect(['refund', 'billing', 'greeting'].map((i) => r.tracks(i))).toEqual([true, true, false]);
  });

  it('counts at most maxDistinct intents', () => {
    const r = new IntentRanking(1, 2);
    r.count('a');
    r.count('b');
    for (let i = 0; i < 5; i++) r.count('c');
    r.rank();
    expect(r.tracks('c')).toBe(false);
    expect(r.tracks('a')).toBe(true);
  });

  it('carries its counts (ties in first-counted order) and its ranking through plain data', () => {
    const r = new IntentRanking(2);
    for (const intent of ['greeting', 'refund', 'billing', 'refund']) r.count(intent);
    r.rank();
    r.count('billing');
    const back = new IntentRanking(2);
    back.restore(JSON.parse(JSON.stringify(r.toJSON())));
    expect(['refund', 'greeting', 'billing'].map((i) => back.tracks(i))).toEqual([true, true, false]);
    back.rank();
    r.rank();
    expect(back.toJSON()).toEqual(r.toJSON());
    expect(back.tracks('billing')).toBe(true);
  });
});
