import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../../detectors/consent/consent-record.js';
import { canonicalJson } from './audit-log.js';
import { consentAuditEntries } from './consent-audit.js';

const record: ConsentRecord = {
  record_id: 'r-1',
  user_id: 'alice@example.com',
  purpose: 'analytics',
  status: 'granted',
  occurred_at: '2025-03-01T09:00:00.000Z',
  occurred_ms: Date.parse('2025-03-01T09:00:00.000Z'),
  consent_version: 'v3',
  source: 'banner',
  lawful_basis: 'consent',
  region: 'DE',
  gpc: false,
  consent_mode: { ad_storage: 'denied', analytics_storage: 'granted' },
  expires_at: null,
};

describe('consent audit entries', () => {
  it('build their canonical text directly, equal to canonicalJson of their content', () => {
    const entries = consentAuditEntries({
      records: [record, { ...record, record_id: 'r-2', consent_mode: null }],
      violations: [
        {
          event_id: 'e-1',
          occurred_at: '2025-03-01T10:00:00.000Z',
          contract: 'conversation.message',
          version: '1.1.0',
          purpose: 'analytics',
          channel: 'chat',
          user_id: 'alice@example.com',
          outcome: 'consent_withdrawn',
          record_id: 'r-1',
          detected_at: '2025-03-01T10:00:01.000Z',
        },
      ],
    });
    // One entry per kind and write, holding each record and violation.
    expect(entries.map((e) => e.kind)).toEqual(['consent_record', 'consent_finding']);
    expect((entries[0]!.content.records as unknown[]).length).toBe(2);
    for (const e of entries) expect(e.canonical).toBe(canonicalJson(e.content));
  });

  it('leave out fields with no value: absent means null', () => {
    const [entry] = consentAuditEntries({
      records: [{ ...record, consent_mode: null, lawful_basis: null, gpc: null, region: null }],
      violations: [],
    });
    const [stored] = JSON.parse(entry!.canonical!).records;
    expect(Object.keys(stored)).toEqual([
      'consent_version',
      'occurred_at',
      'purpose',
      'record_id',
      'source',
      'status',
      'user',
    ]);
    expect(entry!.canonical).toBe(canonicalJson(entry!.content));
  });

  it('name users by salted hash only', () => {
    const text = JSON.stringify(consentAuditEntries({ records: [record], violations: [] }));
    expect(text).not.toContain('alice');
    expect(text).toMatch(/"user":"hash:[0-9a-f]{16}"/);
  });
});
