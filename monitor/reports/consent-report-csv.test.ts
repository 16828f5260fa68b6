import { describe, expect, it } from 'vitest';
import type { ConsentReport } from './consent-report.js';
import { csvField, renderConsentCsv, violationKinds } from './consent-report-csv.js';

const USER_A = '9f2c4e1b7a0d3c58e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7';
const USER_B = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

const report: ConsentReport = {
  from: '2025-03-01T00:00:00Z',
  to: '2025-04-01T00:00:00Z',
  generated_at: '2025-04-01T06:00:12.345Z',
  totals: { events: 1840, valid: 1826, violations: 14, users_affected: 5 },
  violations_by_kind: { consent_missing: 6, consent_withdrawn: 2, gpc_opt_out: 4, consent_expired: 2 },
  by_purpose_channel: [
    {
      purpose: 'analytics',
      channel: 'chat',
      events: 1200,
      valid: 1194,
      violations: { consent_missing: 4, gpc_opt_out: 2 },
      users_affected: 3,
    },
    {
      purpose: 'model_training',
      channel: 'voice',
      events: 600,
      valid: 594,
      violations: { consent_withdrawn: 2, consent_missing: 2, consent_expired: 2 },
      users_affected: 2,
    },
    {
      purpose: 'marketing',
      channel: null,
      events: 40,
      valid: 38,
      violations: { gpc_opt_out: 2 },
      users_affected: 1,
    },
  ],
  evidence: [
    {
      event_id: 'evt-0192',
      occurred_at: '2025-03-28T14:02:11Z',
      contract: 'conversation.message',
      version: '1.1.0',
      purpose: 'model_training',
      channel: 'voice',
      outcome: 'consent_withdrawn',
      user: USER_A,
      record: {
        record_id: 'rec-77',
        status: 'withdrawn',
        occurred_at: '2025-03-27T09:00:00Z',
        consent_version: 'v3',
        source: 'web, settings page',
        lawful_basis: 'consent',
        region: 'EU',
      },
    },
    {
      event_id: null,
      occurred_at: '2025-03-20T08:15:00Z',
      contract: 'conversation.outcome',
      version: '2.0.0',
      purpose: 'analytics',
      channel: 'chat',
      outcome: 'consent_missing',
      user: USER_B,
      record: null,
    },
  ],
  evidence_limit: 2,
  evidence_truncated: true,
  withdrawals: [
    {
      user: USER_A,
      purpose: 'model_training',
      withdrawn_at: '2025-03-27T09:00:00Z',
      record_id: 'rec-77',
      events_after: 2,
    },
    {
      user: USER_B,
      purpose: 'analytics',
      withdrawn_at: '2025-03-10T10:00:00Z',
      record_id: 'rec-12',
      events_after: 0,
    },
  ],
};

/** RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      // A bare quote, CR or LF outside quotes breaks RFC 4180.
      if (c === '"' || c === '\r' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('last record has no CRLF');
  return rows;
}

/** The rows of the section whose title row starts with `title`, up to the next empty line. */
function section(rows: string[][], title: string): string[][] {
  const start = rows.findIndex((r) => r.length === 1 && r[0]!.startsWith(title));
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = rows.findIndex((r, i) => i > start && r.length === 1 && r[0] === '');
  return rows.slice(start + 1, end === -1 ? rows.length : end);
}

/** Table rows as objects keyed by the header row. */
function records(table: string[][]): Record<string, string>[] {
  const [header, ...body] = table;
  return body.map((r) => {
    expect(r).toHaveLength(header!.length);
    return Object.fromEntries(header!.map((h, i) => [h, r[i]!]));
  });
}

describe('consent report CSV', () => {
  const csv = renderConsentCsv(report);
  const rows = parseCsv(csv);

  it('ends every line with CRLF and separates sections by an empty line and a title row', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/\n/);
    expect(rows[0]).toEqual(['Consent compliance report']);
    const titles = rows.filter((_, i) => i > 0 && rows[i - 1]!.length === 1 && rows[i - 1]![0] === '');
    expect(titles.map((r) => r[0])).toEqual([
      'By purpose and channel',
      'Proof of stopping: events processed after each withdrawal',
      'Evidence (first 2 rows: more checks matched than the limit of 2)',
    ]);
  });

  it('reads back the period and totals in the header block', () => {
    const head = Object.fromEntries(section(rows, 'Consent compliance report').map((r) => [r[0], r[1]]));
    expect(head).toEqual({
      from: report.from,
      to: report.to,
      generated_at: report.generated_at,
      events: '1840',
      valid: '1826',
      violations: '14',
      users_affected: '5',
    });
  });

  it('has one column per violation kind in the report, and the rows add up to the totals', () => {
    const table = section(rows, 'By purpose and channel');
    expect(table[0]).toEqual([
      'purpose',
      'channel',
      'events',
      'valid',
      'consent_missing',
      'consent_withdrawn',
      'consent_expired',
      'gpc_opt_out',
      'users_affected',
    ]);
    const recs = records(table);
    expect(recs.map((r) => [r.purpose, r.channel])).toEqual([
      ['analytics', 'chat'],
      ['model_training', 'voice'],
      ['marketing', ''],
    ]);
    recs.forEach((r, i) => {
      const src = report.by_purpose_channel[i]!;
      expect(Number(r.events)).toBe(src.events);
      expect(Number(r.valid)).toBe(src.valid);
      expect(Number(r.users_affected)).toBe(src.users_affected);
    });
    for (const [kind, total] of Object.entries(report.violations_by_kind)) {
      expect(recs.reduce((n, r) => n + Number(r[kind]), 0)).toBe(total);
    }
    expect(recs.reduce((n, r) => n + Number(r.events), 0)).toBe(report.totals.events);
    expect(recs[0]!.consent_withdrawn).toBe('0');
  });

  it('lists every withdrawal with the events processed after it', () => {
    const recs = records(section(rows, 'Proof of stopping'));
    expect(recs).toEqual([
      {
        withdrawn_at: '2025-03-27T09:00:00Z',
        user: USER_A,
        purpose: 'model_training',
        record_id: 'rec-77',
        events_after: '2',
      },
      {
        withdrawn_at: '2025-03-10T10:00:00Z',
        user: USER_B,
        purpose: 'analytics',
        record_id: 'rec-12',
        events_after: '0',
      },
    ]);
  });

  it('lists evidence with the record that applied, empty cells when there was none', () => {
    const recs = records(section(rows, 'Evidence'));
    expect(recs).toHaveLength(2);
    expect(recs[0]).toMatchObject({
      event_id: 'evt-0192',
      outcome: 'consent_withdrawn',
      record_id: 'rec-77',
      record_status: 'withdrawn',
      source: 'web, settings page',
      region: 'EU',
    });
    expect(recs[1]).toMatchObject({
      event_id: '',
      outcome: 'consent_missing',
      record_id: '',
      record_status: '',
    });
    expect(csv).toContain('"web, settings page"');
  });

  it('titles the evidence section plainly when nothing was cut', () => {
    const whole = parseCsv(renderConsentCsv({ ...report, evidence_truncated: false, evidence_limit: 100 }));
    expect(whole.some((r) => r.length === 1 && r[0] === 'Evidence')).toBe(true);
  });

  it('keeps empty tables as a title and a header row', () => {
    const empty = parseCsv(
      renderConsentCsv({
        ...report,
        totals: { events: 0, valid: 0, violations: 0, users_affected: 0 },
        violations_by_kind: {},
        by_purpose_channel: [],
        evidence: [],
        evidence_truncated: false,
        withdrawals: [],
      }),
    );
    expect(section(empty, 'By purpose and channel')).toEqual([
      ['purpose', 'channel', 'events', 'valid', 'users_affected'],
    ]);
    expect(section(empty, 'Proof of stopping')).toHaveLength(1);
  });
});

describe('CSV fields', () => {
  it('quotes commas, quotes, CR and LF, doubling inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('makes text that starts like a formula inert with a leading quote', () => {
    expect(csvField('=HYPERLINK("http://x.test","open")')).toBe('"\'=HYPERLINK(""http://x.test"",""open"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    expect(csvField('a=b')).toBe('a=b');
  });

  it('guards hostile values from the ledger inside a whole report and still reads back', () => {
    const hostile: ConsentReport = {
      ...report,
      evidence: [
        {
          ...report.evidence[0]!,
          contract: '=cmd|" /C calc"!A0',
          record: { ...report.evidence[0]!.record!, source: '@import\r\nnext' },
        },
      ],
      withdrawals: [{ ...report.withdrawals[0]!, purpose: '-analytics,"x"' }],
    };
    const parsed = parseCsv(renderConsentCsv(hostile));
    const ev = records(section(parsed, 'Evidence'))[0]!;
    expect(ev.contract).toBe('\'=cmd|" /C calc"!A0');
    expect(ev.source).toBe("'@import\r\nnext");
    expect(records(section(parsed, 'Proof of stopping'))[0]!.purpose).toBe('\'-analytics,"x"');
  });

  it('orders kind columns as findings list them, unknown kinds last by name', () => {
    expect(
      violationKinds({
        ...report,
        violations_by_kind: { zeta_kind: 1, gpc_opt_out: 1, consent_missing: 1, alpha_kind: 1 },
        by_purpose_channel: [],
        evidence: [],
      }),
    ).toEqual(['consent_missing', 'gpc_opt_out', 'alpha_kind', 'zeta_kind']);
  });
});
