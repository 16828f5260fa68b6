import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { ipAddressRecognizer } from './ip-address.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!ipAddressRecognizer.applies(view)) return [];
  return ipAddressRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

describe('ipAddressRecognizer', () => {
  it('finds an IPv4 address raised by context, without the full stop', () => {
    expect(scan('The login was connected from 203.0.113.42.')).toEqual([
      { entity: 'IP_ADDRESS', start: 29, end: 41, score: 1, text: '203.0.113.42' },
    ]);
  });

  it('scores 0.7 without context and leaves the port out', () => {
    expect(scan('try 192.168.1.20:8080 again')).toEqual([
      { entity: 'IP_ADDRESS', start: 4, end: 16, score: 0.7, text: '192.168.1.20' },
    ]);
  });

  it('finds full, compressed, bracketed and IPv4-tailed IPv6 addresses', () => {
    const text =
      'Hosts 2001:0db8:85a3:0000:0000:8a2e:0370:7334, fe80::1ff:fe23:4567:890a, [2001:db8::42]:443 and ::ffff:192.0.2.128.';
    expect(scan(text).map((s) => [s.start, s.end, s.text])).toEqual([
      [6, 45, '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
      [47, 71, 'fe80::1ff:fe23:4567:890a'],
      [74, 86, '2001:db8::42'],
      [96, 114, '::ffff:192.0.2.128'],
    ]);
  });

  it('drops a label colon before an IPv6 address', () => {
    expect(scan('ip:2001:db8::1:0 blocked').map((s) => s.text)).toEqual(['2001:db8::1:0']);
  });

  it('rejects out-of-range octets and longer dotted runs', () => {
    expect(scan('256.1.1.1, 1.2.3.4.5, 10.0.0, 01.02.03.04, 1.2.3.4a, 1.2.3.4.example')).toEqual([]);
  });

  it('rejects version strings', () => {
    expect(scan('upgrade to v1.2.3.4 or version 10.0.19041.1 or Version: 4.3.2.1 (ver 2.0.0.1)')).toEqual([]);
  });

  it('rejects times, timestamps, MAC addresses and code', () => {
    const text = 'at 12:30:45, 2024-03-14T12:30:45Z, 00:1A:2B:3C:4D:5E, std::vector, A::B, ::';
    expect(scan(text)).toEqual([]);
  });

  it('applies only with four digits or a colon', () => {
    expect(ipAddressRecognizer.applies(new TextView('nothing 1.2.3'))).toBe(false);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('1'.repeat(1 << 20))).toEqual([]);
    expect(scan('1.'.repeat(1 << 19))).toEqual([]);
    expect(scan('1:'.repeat(1 << 19))).toEqual([]);
    expect(scan(':'.repeat(1 << 20))).toEqual([]);
    expect(scan('a'.repeat(1 << 20))).toEqual([]);
    expect(scan('1.1.1 '.repeat(1 << 18))).toEqual([]);
    expect(scan('10.0.0.1 '.repeat(1 << 16))).toHaveLength(1 << 16);
    expect(scan('::ffff:10.0.0.1 '.repeat(1 << 15))).toHaveLength(1 << 15);
  });
});
