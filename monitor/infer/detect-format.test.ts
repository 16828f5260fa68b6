import { describe, expect, it } from 'vitest';
import { ALL_FORMATS, detectFormat, formatMask, preferredFormat } from './detect-format.js';

describe('detectFormat', () => {
  it.each([
    ['2024-05-01T09:30:00Z', 'date-time'],
    ['2024-05-01T09:30:00.123+02:00', 'date-time'],
    ['2024-05-01', 'date'],
    ['7c9e6679-7425-40de-944b-e07fc1f90ae7', 'uuid'],
    ['ana.silva@example.com', 'email'],
    ['192.168.10.4', 'ipv4'],
    ['https://shop.example.com/orders/42?x=1', 'uri'],
  ])('recognises %s as %s', (s, format) => {
    expect(detectFormat(s)).toBe(format);
  });

  it.each([
    '2024-05-01T09:30:00', // no time zone: not RFC 3339
    '2024-02-30', // no such day
    '2024-05-01 09:30:00Z',
    '7c9e6679742540de944be07fc1f90ae7',
    'ana.silva@',
    '10.0.0.256',
    'note:1', // ajv calls this a uri; no reader would
    'hello world',
    '',
  ])('declares no format for %j', (s) => {
    expect(detectFormat(s)).toBeUndefined();
  });

  it('narrows candidates: a mask only keeps formats every string matched', () => {
    let mask = ALL_FORMATS;
    mask &= formatMask('2024-05-01', mask);
    expect(preferredFormat(mask)).toBe('date');
    mask &= formatMask('2024-05-01T09:30:00Z', mask);
    expect(preferredFormat(mask)).toBeUndefined();
  });
});
