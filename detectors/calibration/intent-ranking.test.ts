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
});
