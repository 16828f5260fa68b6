import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../monitor/config/config.js';
import { type ConsentRecord, contentId, parseTimestamp, readConsentRecord } from './consent-record.js';

const policy = buildConfig({}).detectors.consent;

/** A minimal valid import row; the user id looks like personal data on purpose. */
function row(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    user_id: 'jane.doe@example.com',
    purpose: 'analytics',
    status: 'granted',
    occurred_at: '2026-03-01T10:00:00Z',
    ...overrides,
  };
}

function read(overrides: Record<string, unknown> = {}): ConsentRecord {
  const r = readConsentRecord(row(overrides), policy);
  if (!r.ok) throw new Error(`expected a record, got: ${r.error}`);
  return r.record;
}

function error(overrides: Record<string, unknown>): string {
  const r = readConsentRecord(row(overrides), policy);
  if (r.ok) throw new Error('expected the row to be refused');
  return r.error;
}

describe('readConsentRecord', () => {
  it('reads a minimal row, filling every optional field with null and the id from the content', () => {
    const r = read();
    expect(r).toEqual({
      record_id: expect.stringMatching(/^h:[0-9a-f]{32}$/),
      user_id: 'jane.doe@example.com',
      purpose: 'analytics',
      status: 'granted',
      occurred_at: '2026-03-01T10:00:00.000Z',
      occurred_ms: Date.UTC(2026, 2, 1, 10),
      consent_version: null,
      source: null,
      lawful_basis: null,
      region: null,
      gpc: null,
      consent_mode: null,
      expires_at: null,
    });
    const { record_id, ...rest } = r;
    expect(record_id).toBe(contentId(rest));
  });

  it('reads a full CSV row: flat consent_mode.* columns, text booleans, empty cells as null, offsets to UTC', () => {
    const r = read({
      record_id: 'cmp-4711',
      status: 'withdrawn',
      occurred_at: '2026-03-01 12:00:00.250+02:00',
      consent_version: 'v7',
      source: 'import',
      lawful_basis: 'consent',
      region: 'DE',
      gpc: '1',
      'consent_mode.ad_storage': 'denied',
      'consent_mode.analytics_storage': 'granted',
      'consent_mode.ad_user_data': '',
      expires_at: '2027-04-01T00:00:00+01:00',
    });
    expect(r).toEqual({
      record_id: 'cmp-4711',
      user_id: 'jane.doe@example.com',
      purpose: 'analytics',
      status: 'withdrawn',
      occurred_at: '2026-03-01T10:00:00.250Z',
      occurred_ms: Date.UTC(2026, 2, 1, 10, 0, 0, 250),
      consent_version: 'v7',
      source: 'import',
      lawful_basis: 'consent',
      region: 'DE',
      gpc: true,
      consent_mode: { analytics_storage: 'granted', ad_storage: 'denied' },
      expires_at: '2027-03-31T23:00:00.000Z',
      expires_ms: Date.parse('2027-03-31T23:00:00.000Z'),
    });
  });

  it('reads Consent Mode as a nested object, to the same record as the flat columns', () => {
    const nested = read({ gpc: false, consent_mode: { ad_storage: 'denied', analytics_storage: 'granted' } });
    const flat = read({
      gpc: 'false',
      'consent_mode.analytics_storage': 'granted',
      'consent_mode.ad_storage': 'denied',
    });
    expect(nested.consent_mode).toEqual({ ad_storage: 'denied', analytics_storage: 'granted' });
    expect(nested.gpc).toBe(false);
    expect(flat).toEqual(nested);
  });

  it('reads an empty Consent Mode object or only empty columns as no signals', () => {
    expect(read({ consent_mode: {} }).consent_mode).toBeNull();
    expect(
      read({ 'consent_mode.ad_storage': '', 'consent_mode.ad_user_data': null }).consent_mode,
    ).toBeNull();
  });

  it.each([
    [{ user_id: undefined }, 'user_id is missing'],
    [{ user_id: '' }, 'user_id is missing'],
    [{ user_id: 42 }, 'user_id is missing'],
    [{ user_id: 'x'.repeat(257) }, 'user_id is longer than 256 characters'],
    [{ purpose: undefined }, 'purpose is missing'],
    [{ purpose: 'newsletter' }, 'purpose is not in the catalogue (detectors.consent.purposes)'],
    // Inherited properties of a plain object are not purposes.
    [{ purpose: 'constructor' }, 'purpose is not in the catalogue (detectors.consent.purposes)'],
    [{ purpose: '__proto__' }, 'purpose is not in the catalogue (detectors.consent.purposes)'],
    [{ status: 'maybe' }, 'status must be granted, denied or withdrawn'],
    [{ status: 'GRANTED' }, 'status must be granted, denied or withdrawn'],
    [{ status: undefined }, 'status must be granted, denied or withdrawn'],
    [{ occurred_at: undefined }, 'occurred_at is not an RFC 3339 timestamp'],
    [{ occurred_at: '2026-03-01' }, 'occurred_at is not an RFC 3339 timestamp'],
    [{ occurred_at: '2026-03-01T10:00:00' }, 'occurred_at is not an RFC 3339 timestamp'],
    [{ occurred_at: 'March 1, 2026 10:00 UTC' }, 'occurred_at is not an RFC 3339 timestamp'],
    [{ occurred_at: '2026-13-01T10:00:00Z' }, 'occurred_at is not an RFC 3339 timestamp'],
    [{ occurred_at: '2026-03-01T25:00:00Z' }, 'occurred_at is not an RFC 3339 timestamp'],
    [{ occurred_at: '2026-03-01T10:00:00+99:00' }, 'occurred_at is not an RFC 3339 timestamp'],
    [{ occurred_at: 1772359200000 }, 'occurred_at is not an RFC 3339 timestamp'],
    [{ expires_at: 'next year' }, 'expires_at is not an RFC 3339 timestamp'],
    [{ expires_at: 1 }, 'expires_at must be a string'],
    [{ region: 'Atlantis' }, 'region is outside the catalogue (opt_in_regions, opt_out_regions)'],
    [{ region: 'de' }, 'region is outside the catalogue (opt_in_regions, opt_out_regions)'],
    [
      { lawful_basis: 'because' },
      'lawful_basis must be one of consent, legitimate_interest, contract, legal_obligation, vital_interests, public_task',
    ],
    [{ gpc: 'yes' }, 'gpc must be true or false'],
    [{ gpc: 2 }, 'gpc must be true or false'],
    [{ 'consent_mode.ad_storage': 'maybe' }, 'consent_mode.ad_storage must be granted or denied'],
    [
      { consent_mode: { analytics_storage: true } },
      'consent_mode.analytics_storage must be granted or denied',
    ],
    [{ consent_mode: 'granted' }, 'consent_mode must be an object of Consent Mode v2 signals'],
    [{ source: 'x'.repeat(257) }, 'source is longer than 256 characters'],
    [{ consent_version: 7 }, 'consent_version must be a string'],
  ])('refuses %o: %s', (overrides, message) => {
    expect(error(overrides)).toBe(message);
  });

  it('never echoes the offending value, which may be personal data', () => {
    const secret = 'jane.doe@example.com';
    for (const field of [
      'user_id',
      'purpose',
      'status',
      'occurred_at',
      'expires_at',
      'region',
      'lawful_basis',
      'gpc',
      'consent_mode',
      'consent_mode.ad_storage',
    ]) {
      const value = field === 'user_id' ? secret.repeat(20) : secret;
      const message = error({ [field]: value });
      expect(message, field).not.toContain('jane');
      expect(message, field).not.toContain('example.com');
    }
    // The user id of a row refused for another field is not named either.
    expect(error({ purpose: 'newsletter' })).not.toContain('jane');
  });
});

describe('parseTimestamp', () => {
  it('accepts RFC 3339 with offsets, lowercase t and z, a space separator and nanoseconds', () => {
    expect(parseTimestamp('2026-03-01T10:00:00Z')?.iso).toBe('2026-03-01T10:00:00.000Z');
    expect(parseTimestamp('2026-03-01t10:00:00z')?.iso).toBe('2026-03-01T10:00:00.000Z');
    expect(parseTimestamp('2026-03-01 11:30:00+01:30')?.iso).toBe('2026-03-01T10:00:00.000Z');
    expect(parseTimestamp('2026-03-01T10:00:00.123456789Z')).toEqual({
      iso: '2026-03-01T10:00:00.123Z',
      ms: Date.UTC(2026, 2, 1, 10, 0, 0, 123),
    });
  });

  it('refuses what is not a string or not in the RFC 3339 shape', () => {
    for (const v of [null, undefined, 0, new Date(), '', '2026-03-01T10:00Z', '20260301T100000Z']) {
      expect(parseTimestamp(v)).toBeNull();
    }
  });

  // Date.parse rolls an impossible day over into the next month (2024-02-30 is read as March 1):
  // the fields are checked against the date they make.
  it('refuses a day the month does not have (2024-02-30, 2023-02-29, 2026-04-31)', () => {
    expect(parseTimestamp('2024-02-30T00:00:00Z')).toBeNull();
    expect(parseTimestamp('2023-02-29T00:00:00Z')).toBeNull();
    expect(parseTimestamp('2026-04-31T00:00:00Z')).toBeNull();
    expect(readConsentRecord(row({ occurred_at: '2024-02-30T00:00:00Z' }), policy).ok).toBe(false);
  });

  it('accepts 29 February of a leap year', () => {
    expect(parseTimestamp('2024-02-29T00:00:00Z')?.iso).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('contentId', () => {
  const base = read({
    consent_version: 'v1',
    source: 'banner',
    lawful_basis: 'consent',
    region: 'FR',
    gpc: false,
    consent_mode: { ad_storage: 'granted' },
    expires_at: '2027-03-01T00:00:00Z',
  });
  const { record_id: _id, ...fields } = base;

  it('is stable: the same content gives the same id, whatever the offset it was written in', () => {
    expect(contentId(fields)).toBe(base.record_id);
    expect(contentId({ ...fields })).toBe(contentId(fields));
    const shifted = read({
      consent_version: 'v1',
      source: 'banner',
      lawful_basis: 'consent',
      region: 'FR',
      gpc: 'false',
      'consent_mode.ad_storage': 'granted',
      occurred_at: '2026-03-01T11:00:00+01:00',
      expires_at: '2027-03-01T01:00:00+01:00',
    });
    expect(shifted.record_id).toBe(base.record_id);
  });

  it.each<[string, Partial<ConsentRecord>]>([
    ['user_id', { user_id: 'someone-else' }],
    ['purpose', { purpose: 'model_training' }],
    ['status', { status: 'denied' }],
    ['occurred_at', { occurred_at: '2026-03-01T10:00:00.001Z' }],
    ['consent_version', { consent_version: 'v2' }],
    ['consent_version null', { consent_version: null }],
    ['source', { source: 'settings' }],
    ['lawful_basis', { lawful_basis: 'legitimate_interest' }],
    ['region', { region: 'DE' }],
    ['gpc', { gpc: true }],
    ['gpc null', { gpc: null }],
    ['consent_mode', { consent_mode: { ad_storage: 'denied' } }],
    ['consent_mode null', { consent_mode: null }],
    ['expires_at', { expires_at: '2027-03-02T00:00:00.000Z' }],
  ])('differs when %s differs', (_field, change) => {
    expect(contentId({ ...fields, ...change })).not.toBe(base.record_id);
  });

  // The time is computed from the fields, not by Date.parse: the two must agree on every valid timestamp.
  it('gives the same instant as Date.parse for timestamps of every shape', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pad = (v: number, w = 2) => String(v).padStart(w, '0');
    for (let i = 0; i < 5000; i++) {
      const year = 1970 + next(130);
      const month = 1 + next(12);
      const day = 1 + next(28);
      const time = `${pad(next(24))}:${pad(next(60))}:${pad(next(60))}`;
      const fraction = ['', `.${pad(next(10), 1)}`, `.${pad(next(1000), 3)}`, `.${pad(next(1e6), 6)}`][
        next(4)
      ];
      const zone = ['Z', 'z', `+${pad(next(15))}:${pad(next(60))}`, `-${pad(next(13))}:${pad(next(60))}`][
        next(4)
      ];
      const text = `${year}-${pad(month)}-${pad(day)}${next(2) ? 'T' : ' '}${time}${fraction}${zone}`;
      const expected = Date.parse(text.replace(' ', 'T'));
      expect({ text, ms: parseTimestamp(text)?.ms }).toEqual({ text, ms: expected });
      expect(parseTimestamp(text)?.iso).toBe(new Date(expected).toISOString());
    }
  });
});
