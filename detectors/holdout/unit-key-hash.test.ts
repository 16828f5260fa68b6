import { describe, expect, it } from 'vitest';
import { eventIdHash, unitKeyHash } from './unit-key-hash.js';

describe('unitKeyHash', () => {
  it('is the same for the same key and differs between keys', () => {
    expect(unitKeyHash('alice')).toEqual(unitKeyHash('alice'));
    expect(unitKeyHash('alice')).not.toEqual(unitKeyHash('alicf'));
    expect(unitKeyHash('')).not.toEqual(unitKeyHash('\u0000'));
    const { hi, lo } = unitKeyHash('alice');
    expect(Number.isInteger(hi) && hi >= -(2 ** 31) && hi < 2 ** 31).toBe(true);
    expect(Number.isInteger(lo) && lo >= -(2 ** 31) && lo < 2 ** 31).toBe(true);
  });

  it('gives 200,000 similar keys 200,000 hashes spread over the low bits', () => {
    const seen = new Set<string>();
    const slots = new Set<number>();
    for (let i = 0; i < 200_000; i++) {
      const { hi, lo } = unitKeyHash(`user-${i}`);
      seen.add(`${hi}:${lo}`);
      slots.add(lo & 0xffff);
    }
    expect(seen.size).toBe(200_000);
    // 200,000 random keys into 65,536 slots leave about 65,536 e^-3.05 ≈ 3,100 of them empty.
    expect(slots.size).toBeGreaterThan(62_000);
  });
});

describe('eventIdHash', () => {
  it('is a 32-bit integer, the same for the same id', () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect(eventIdHash(id)).toBe(eventIdHash(id));
    expect(eventIdHash(id)).not.toBe(eventIdHash('00000000-0000-4000-8000-000000000002'));
    expect(eventIdHash(id) | 0).toBe(eventIdHash(id));
  });
});
