import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, faultFits, parseFaultSpec } from './faults.js';

describe('parseFaultSpec', () => {
  it('reads kind=rate and all=rate', () => {
    expect(parseFaultSpec('missing_required=0.01')).toEqual({ missing_required: 0.01 });
    expect(parseFaultSpec(' pii_in_text = 1 ')).toEqual({ pii_in_text: 1 });
    const all = parseFaultSpec('all=0.001');
    expect(Object.keys(all)).toEqual([...FAULT_KINDS]);
    expect(new Set(Object.values(all))).toEqual(new Set([0.001]));
  });

  it('names what is wrong with a bad option', () => {
    expect(() => parseFaultSpec('missing_required')).toThrow(/kind=rate/);
    expect(() => parseFaultSpec('typo=0.1')).toThrow(/unknown fault "typo"/);
    expect(() => parseFaultSpec('enum_violation=2')).toThrow(/between 0 and 1/);
    expect(() => parseFaultSpec('enum_violation=')).toThrow(/between 0 and 1/);
    expect(() => parseFaultSpec('enum_violation=abc')).toThrow(/between 0 and 1/);
  });
});

describe('faultFits', () => {
  it('keeps consent events valid and puts PII only into free text', () => {
    expect(faultFits('missing_required', 'consent.updated')).toBe(false);
    expect(faultFits('deprecated_version', 'consent.updated')).toBe(true);
    expect(faultFits('null_attribute', 'consent.updated')).toBe(true);
    expect(faultFits('pii_in_text', 'conversation.message')).toBe(true);
    expect(faultFits('pii_in_text', 'conversion')).toBe(false);
    expect(faultFits('malformed_json', 'conversion')).toBe(true);
  });
});
