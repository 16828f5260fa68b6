import { describe, expect, it } from 'vitest';
import { mayHoldPii } from './may-hold-pii.js';

describe('mayHoldPii', () => {
  it('passes over ids, enum values, codes and timestamps', () => {
    for (const v of [
      '',
      'en',
      'chat',
      'customer',
      'refund_status',
      'u_1842',
      'intent-v3.2',
      'fa337343-79b9-454f-9d45-b2dc10b59779',
      '2026-11-22T14:09:44.574Z',
      '2026-11-22T14:09:44+01:00',
    ]) {
      expect(mayHoldPii(v), v).toBe(false);
    }
  });

  it('lets through anything an entity could hide in', () => {
    for (const v of [
      'a@b.co',
      'call me',
      'AB123456C',
      '4111111111111111',
      '1.2.3.4',
      'fe80::1ff',
      'https://x',
      'Zoë',
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    ]) {
      expect(mayHoldPii(v), v).toBe(true);
    }
  });
});
