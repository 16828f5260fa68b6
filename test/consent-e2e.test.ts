import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../monitor/http/test-app.js';
import { consentUpdated as consent, message } from '../monitor/http/test-events.js';
import type { ConsentReport } from '../monitor/reports/consent-report.js';
import { testStores } from '../monitor/store/test-stores.js';

/**
 * Consent end to end, as a data team feeds it and a compliance officer reads
 * it: consent events and messages over HTTP, violations judged at event
 * time, the report in JSON, CSV and HTML (read in Chromium), an access
 * request, an erasure, and the audit log's chain, on both stores.
 */

const CHROMIUM = '/usr/bin/chromium';
const RAW_USER = 'alice.customer-7731';

/** The audit log's rows as stored, read through the store's own connection. */
async function auditContents(
  t: TestApp,
): Promise<Array<{ kind: string; content: { records?: unknown[]; violations?: unknown[] } }>> {
  const sql = (t.app.store as unknown as { sql: { query<R>(q: string): Promise<{ rows: R[] }> } }).sql;
  const { rows } = await sql.query<{ kind: string; content: string }>(
    'SELECT kind, content FROM audit_log ORDER BY seq',
  );
  return rows.map((r) => ({ kind: r.kind, content: JSON.parse(r.content) }));
}

const FROM = '2025-03-01T00:00:00.000Z';
const TO = '2025-03-02T00:00:00.000Z';

describe.each(testStores())('consent end to end on $name', (target) => {
  let t: TestApp;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (existsSync(CHROMIUM)) {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
    }
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await target.cleanup();
  });

  afterEach(async () => {
    await t?.close();
  });

  const post = async (...events: Record<string, unknown>[]) => {
    const res = await t.server.inject({ method: 'POST', url: '/v1/events', payload: events });
    expect(res.statusCode).toBe(200);
    return res.json() as {
      results: Array<{
        status: string;
        findings: Array<{
          kind: string;
          attribute: string | null;
          message: string;
          evidence: Record<string, unknown>;
        }>;
      }>;
    };
  };

  it('judges at event time, reports what happened, answers access requests and erases', async () => {
    const store = await target.open();
    t = await createTestApp({ store, config: { detectors: { consent: { enabled: true } } } });

    // Alice grants everything at 09:00, and withdraws model_training at 12:00.
    await post(consent(RAW_USER, '2025-03-01T09:00:00.000Z', ['analytics', 'model_training', 'recording']));
    const before = await post(message({ user_id: RAW_USER, occurred_at: '2025-03-01T11:00:00.000Z' }));
    expect(before.results[0]!.findings).toEqual([]);
    await post(consent(RAW_USER, '2025-03-01T12:00:00.000Z', [], ['model_training']));
    const after = await post(message({ user_id: RAW_USER, occurred_at: '2025-03-01T13:00:00.000Z' }));
    expect(after.results[0]!.findings.map((f) => f.kind)).toEqual(['consent_withdrawn']);
    expect(after.results[0]!.status).toBe('violation');
    // A message dated before the withdrawal but arriving after it stays lawful.
    const late = await post(message({ user_id: RAW_USER, occurred_at: '2025-03-01T11:30:00.000Z' }));
    expect(late.results[0]!.findings).toEqual([]);

    // Bob never consented: nothing is lawful for him, and his transcript text is gated on recording.
    const bob = await post(message({ user_id: 'bob-2', occurred_at: '2025-03-01T10:00:00.000Z' }));
    expect(bob.results[0]!.findings.map((f) => `${f.kind} ${f.attribute ?? ''}`).sort()).toEqual([
      'consent_gated_attribute /text',
      'consent_missing ',
      'consent_missing ',
    ]);
    // Findings name users by salted hash only.
    expect(JSON.stringify(after)).not.toContain(RAW_USER);

    // Access request: the timeline and the violations.
    const access = await t.server.inject({ method: 'GET', url: `/v1/consent/${RAW_USER}` });
    expect(access.statusCode).toBe(200);
    const timeline = access.json() as {
      timeline: Array<{ purpose: string; status: string }>;
      violations: unknown[];
    };
    expect(timeline.timeline.map((r) => `${r.purpose}:${r.status}`)).toEqual([
      'analytics:granted',
      'model_training:granted',
      'recording:granted',
      'model_training:withdrawn',
    ]);
    expect(timeline.violations).toHaveLength(1);

    // The report: 4 messages x 2 purposes checked.
    const res = await t.server.inject({ method: 'GET', url: `/v1/reports/consent?from=${FROM}&to=${TO}` });
    expect(res.statusCode).toBe(200);
    const report = res.json() as ConsentReport;
    expect(report.totals).toEqual({ events: 8, valid: 5, violations: 3, users_affected: 2 });
    expect(report.violations_by_kind).toEqual({ consent_withdrawn: 1, consent_missing: 2 });
    expect(report.withdrawals).toHaveLength(1);
    expect(report.withdrawals[0]).toMatchObject({ purpose: 'model_training', events_after: 1 });
    const mt = report.by_purpose_channel.find((r) => r.purpose === 'model_training')!;
    expect(mt).toMatchObject({ channel: 'chat', events: 4, valid: 2, users_affected: 2 });
    expect(report.evidence[0]!.outcome).not.toBe('valid');
    expect(JSON.stringify(report)).not.toContain(RAW_USER);

    const csv = await t.server.inject({
      method: 'GET',
      url: `/v1/reports/consent?from=${FROM}&to=${TO}&format=csv`,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).not.toContain(RAW_USER);

    const html = await t.server.inject({
      method: 'GET',
      url: `/v1/reports/consent?from=${FROM}&to=${TO}&format=html`,
    });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).not.toContain(RAW_USER);
    if (browser) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent(html.body, { waitUntil: 'load' });
      const totals = await page.$$eval('[data-total]', (els) =>
        Object.fromEntries(els.map((e) => [e.getAttribute('data-total'), Number(e.textContent?.trim())])),
      );
      expect(totals).toEqual(report.totals);
      const kinds = await page.$$eval('[data-kind]', (els) =>
        Object.fromEntries(els.map((e) => [e.getAttribute('data-kind'), Number(e.textContent?.trim())])),
      );
      expect(kinds).toEqual(report.violations_by_kind);
      expect(errors).toEqual([]);
      await page.close();
    }

    // Erasure: the user id gone from records and checks (its salted hash in its place), counts and proof kept.
    const erased = await t.server.inject({ method: 'DELETE', url: `/v1/consent/${RAW_USER}` });
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toMatchObject({ records_pseudonymized: 4, checks_pseudonymized: 6 });
    const gone = (await t.server.inject({ method: 'GET', url: `/v1/consent/${RAW_USER}` })).json() as {
      timeline: unknown[];
      violations: unknown[];
    };
    expect(gone).toMatchObject({ timeline: [], violations: [] });
    // Nor does the ledger load them again.
    expect(await t.app.store.consent.loadRecords([RAW_USER])).toEqual([]);
    const afterErasure = (
      await t.server.inject({ method: 'GET', url: `/v1/reports/consent?from=${FROM}&to=${TO}` })
    ).json() as ConsentReport;
    expect(afterErasure.totals).toEqual(report.totals);
    // The withdrawal and the event processed after it still show in the proof of stopping, under the same hash.
    expect(afterErasure.withdrawals).toEqual(report.withdrawals);

    // Every record, violation and the erasure are chained (one row per write and kind); the raw id is in none.
    expect(await t.app.store.audit.verify()).toMatchObject({ ok: true });
    const logged = await auditContents(t);
    expect(
      logged.filter((r) => r.kind === 'consent_record').flatMap((r) => r.content.records ?? []),
    ).toHaveLength(4);
    expect(
      logged.filter((r) => r.kind === 'consent_finding').flatMap((r) => r.content.violations ?? []),
    ).toHaveLength(3);
    expect(logged.filter((r) => r.kind === 'consent_erasure')).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain(RAW_USER);

    // The metrics count violations by purpose.
    const metrics = (await t.server.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(
      'earshot_consent_violations_total{purpose="model_training",kind="consent_withdrawn"} 1',
    );
    expect(metrics).toContain('earshot_consent_ledger_records_total 4');
  }, 60_000);

  it('refuses a report with a bad period; records the known purposes of a consent event and flags the unknown one', async () => {
    const policy = { enabled: true, purposes: { analytics: {}, model_training: {} } };
    t = await createTestApp({ store: await target.open(), config: { detectors: { consent: policy } } });
    const bad = await t.server.inject({ method: 'GET', url: `/v1/reports/consent?from=${TO}&to=${FROM}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request' });
    const junk = await t.server.inject({ method: 'GET', url: '/v1/reports/consent?from=yesterday&to=today' });
    expect(junk.statusCode).toBe(400);

    // "recording" is in the contract's enum but not in this policy's catalogue.
    const fed = await post(consent(RAW_USER, '2025-03-01T09:00:00.000Z', ['analytics', 'recording']));
    expect(fed.results[0]!.findings).toMatchObject([
      { kind: 'malformed', attribute: '/purposes_granted', message: expect.stringContaining('catalogue') },
    ]);
    expect(JSON.stringify(fed)).not.toContain(RAW_USER);
    const access = (await t.server.inject({ method: 'GET', url: `/v1/consent/${RAW_USER}` })).json() as {
      timeline: Array<{ purpose: string }>;
    };
    expect(access.timeline.map((r) => r.purpose)).toEqual(['analytics']);
  });
});
