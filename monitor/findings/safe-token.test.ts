import { describe, expect, it } from 'vitest';
import { isSafeToken, safePointer, safeToken, setHashSalt } from './safe-token.js';

describe('safeToken', () => {
  it('keeps identifier-like tokens', () => {
    for (const v of ['refund_status', 'billing.v2', 'en-GB', 'tier:gold']) expect(safeToken(v)).toBe(v);
  });

  it('hashes anything that may be personal data', () => {
    for (const v of ['jane.doe@example.com', '+44 7700 900123', '4111111111111111', 'my name is Jane', '']) {
      expect(isSafeToken(v)).toBe(false);
      expect(safeToken(v)).toMatch(/^hash:[0-9a-f]{16}$/);
    }
  });

  it('hashes stably under one salt and differently under another', () => {
    setHashSalt('a');
    const h = safeToken('jane@example.com');
    expect(safeToken('jane@example.com')).toBe(h);
    setHashSalt('b');
    expect(safeToken('jane@example.com')).not.toBe(h);
  });
});

describe('safePointer', () => {
  it('keeps indexes, tokens, attribute pointers and schema keywords, and hashes the rest', () => {
    expect(safePointer('/attributes/~1text/pii')).toBe('/attributes/~1text/pii');
    expect(safePointer('/schema/$defs/address/0')).toBe('/schema/$defs/address/0');
    expect(safePointer('/schema/properties/4915112345678')).toMatch(
      /^\/schema\/properties\/hash:[0-9a-f]{16}$/,
    );
    expect(safePointer('/attributes/~1jane.doe@example.com/pii')).toMatch(
      /^\/attributes\/~1hash:[0-9a-f]{16}\/pii$/,
    );
    expect(safePointer('/')).toBe('/');
  });
});
