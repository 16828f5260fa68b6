import { endianness } from 'node:os';

/**
 * Float64 numbers as base64 of their IEEE 754 bytes, little-endian, for
 * snapshots of embedding samples (500 x 384 numbers each). Lossless by
 * construction (every bit is kept, -0 included, nothing rests on how a
 * decimal is printed and parsed back), about 10.7 characters a number
 * against some 19 for a double written in JSON, and decoded without parsing
 * numbers one by one.
 */

/** Byte order is fixed (little-endian) so a snapshot reads the same on any host. */
const bigEndianHost = endianness() === 'BE';

export function packFloats(values: Float64Array): string {
  // A copy: swapping must not touch the caller's numbers, and a view may start mid-buffer.
  const bytes = Buffer.from(values.slice().buffer);
  if (bigEndianHost) bytes.swap64();
  return bytes.toString('base64');
}

/**
 * The `length` numbers packed in `text`.
 *
 * @throws RangeError when `text` does not hold exactly `length` numbers
 */
export function unpackFloats(text: string, length: number): Float64Array {
  if (typeof text !== 'string') throw new RangeError('packed numbers must be a base64 string');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== length * 8) {
    throw new RangeError(`expected ${length} packed numbers, got ${bytes.byteLength / 8}`);
  }
  if (bigEndianHost) bytes.swap64();
  // Copied into a buffer of its own: the decoded bytes may sit unaligned in Node's shared pool.
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
