import { describe, expect, it } from 'vitest';
import { saltedHash } from '../../monitor/findings/safe-token.js';
import { stringValues } from './string-values.js';

describe('stringValues', () => {
  it('yields every string, nested objects and arrays too, with governance and exact pointers', () => {
    const event = {
      text: 'hi',
      turn: 3,
      customer: { email: 'a@b.co', tags: ['x', 7, { note: 'n' }] },
      'a/b': 's',
      nothing: null,
    };
    const found = stringValues(event).map(({ attribute, pointer, value }) => ({ attribute, pointer, value }));
    expect(found).toEqual([
      { attribute: '/text', pointer: '/text', value: 'hi' },
      { attribute: '/customer/email', pointer: '/customer/email', value: 'a@b.co' },
      { attribute: '/customer/tags/items', pointer: '/customer/tags/0', value: 'x' },
      { attribute: '/customer/tags/items/note', pointer: '/customer/tags/2/note', value: 'n' },
      { attribute: `/${saltedHash('a/b')}`, pointer: `/${saltedHash('a/b')}`, value: 's' },
    ]);
  });

  it('hashes keys that could themselves be personal data', () => {
    const [v] = stringValues({ 'jane@example.com': 'yes' });
    expect(v!.attribute).not.toContain('jane');
    expect(v!.attribute).toBe(`/${saltedHash('jane@example.com')}`);
  });

  it('lets a redactor rewrite the value in place through parent and key', () => {
    const event = { list: ['a', 'b'] };
    for (const v of stringValues(event))
      (v.parent as Record<string | number, unknown>)[v.key] = v.value.toUpperCase();
    expect(event).toEqual({ list: ['A', 'B'] });
  });

  it('passes over non-objects', () => {
    expect(stringValues('text')).toEqual([]);
    expect(stringValues(null)).toEqual([]);
    expect(stringValues(42)).toEqual([]);
  });
});
