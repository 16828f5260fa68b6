import { describe, expect, it } from 'vitest';
import { packFloats, unpackFloats } from './packed-floats.js';

describe('packed floats', () => {
  it('round-trips every bit through JSON, -0 and subnormals included', () => {
    const values = Float64Array.from([0, -0, 1 / 3, -1e-310, Number.MAX_VALUE, 5e-324, 0.1 + 0.2]);
    const text = JSON.parse(JSON.stringify(packFloats(values))) as string;
    const back = unpackFloats(text, values.length);
    expect(Array.from(back)).toEqual(Array.from(values));
    expect(Object.is(back[1], -0)).toBe(true);
  });

  it('packs a view without the rest of its buffer, little-endian', () => {
    const whole = Float64Array.from([1, 2, 3, 4]);
    expect(Array.from(unpackFloats(packFloats(whole.subarray(1, 3)), 2))).toEqual([2, 3]);
    // 1.0 is 0x3FF0000000000000: its last byte first.
    expect(Buffer.from(packFloats(Float64Array.of(1)), 'base64')).toEqual(
      Buffer.from([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]),
    );
  });

  it('refuses text that does not hold the numbers expected', () => {
    expect(() => unpackFloats(packFloats(Float64Array.of(1, 2)), 3)).toThrow(RangeError);
    expect(() => unpackFloats(42 as unknown as string, 1)).toThrow(RangeError);
  });
});
