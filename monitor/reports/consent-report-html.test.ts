import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConsentReport } from './consent-report.js';
import { esc, renderConsentHtml } from './consent-report-html.js';

const USER_A = '9f2c4e1b7a0d3c58e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7';
const USER_B = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const USER_C = 'c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2';

/** A month of traffic: three purposes over chat, voice and email, five violation kinds. */
const report: ConsentReport = {
  from: '2025-03-01T00:00:00Z',
  to: '2025-04-01T00:00:00Z',
  generated_at: '2025-04-01T06:00:12.345Z',
  totals: { events: 12840, valid: 12815, violations: 25, users_affected: 7 },
  violations_by_kind: {
    consent_missing: 9,
    consent_denied: 3,
    consent_withdrawn: 2,
    consent_expired: 5,
    gpc_opt_out: 6,
  },
  by_purpose_channel: [
    {
      purpose: 'analytics',
      channel: 'chat',
      events: 8000,
      valid: 7989,
      violations: { consent_missing: 5, gpc_opt_out: 6 },
      users_affected: 3,
    },
    {
      purpose: 'model_training',
      channel: 'voice',
      events: 3200,
      valid: 3191,
      violations: { consent_withdrawn: 2, consent_expired: 5, consent_missing: 2 },
      users_affected: 3,
    },
    {
      purpose: 'model_training',
      channel: 'email',
      events: 1400,
      valid: 1397,
      violations: { consent_denied: 3 },
      users_affected: 1,
    },
    {
      purpose: 'marketing',
      channel: null,
      events: 240,
      valid: 238,
      violations: { consent_missing: 2 },
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
        source: 'web settings',
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
    {
      event_id: 'evt-0007',
      occurred_at: '2025-03-02T11:30:00Z',
      contract: 'conversation.message',
      version: '1.0.0',
      purpose: 'analytics',
      channel: 'chat',
      outcome: 'valid',
      user: USER_C,
      record: {
        record_id: 'rec-3',
        status: 'granted',
        occurred_at: '2025-02-14T12:00:00Z',
        consent_version: null,
        source: null,
        lawful_basis: 'consent',
        region: null,
      },
    },
  ],
  evidence_limit: 3,
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

const SCRIPT = '<script>alert("x")</script>';

/** The same report with markup where a user hash, contract, kind and purpose belong. */
const hostile: ConsentReport = {
  ...report,
  violations_by_kind: { ...report.violations_by_kind, 'k"><img src=x onerror=alert(1)>': 1 },
  evidence: [{ ...report.evidence[0]!, user: SCRIPT, contract: `${SCRIPT}'&` }],
  withdrawals: [{ ...report.withdrawals[0]!, purpose: '<b onmouseover="x">' }],
};

describe('consent report HTML', () => {
  const html = renderConsentHtml(report);

  it('escapes & < > " and \'', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(esc(42)).toBe('42');
  });

  it('keeps markup in a user hash, contract name, kind or purpose as text', () => {
    const page = renderConsentHtml(hostile);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b ');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
    expect(page).toContain('data-kind="k&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  it('is one page with a strict CSP, inline style and nothing to fetch', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
    expect(html).toContain(
      '<title>Consent compliance report, 2025-03-01T00:00:00Z to 2025-04-01T00:00:00Z</title>',
    );
  });

  it('has every section and the footer on hashed users', () => {
    for (const h of [
      'Summary',
      'Violations by kind',
      'By purpose and channel',
      'Proof of stopping',
      'Evidence',
    ]) {
      expect(html).toContain(`<h2>${h}</h2>`);
    }
    expect(html).toMatch(/<footer>[\s\S]*salted hashes[\s\S]*<\/footer>/);
    expect(html).toContain('<span data-total="events">12840</span>');
    expect(html).toContain('data-kind="gpc_opt_out">6<');
    expect(html).toContain('no record');
  });

  it('flags processing after a withdrawal, and says so plainly when there was none', () => {
    expect(html).toContain('Processing continued after 1 of 2 withdrawals: 2 events processed afterwards.');
    expect(html).toContain('<td class="n bad">2 <span>(processed after withdrawal)</span></td>');
    expect(html).not.toContain('No processing after any withdrawal');
    const clean = renderConsentHtml({
      ...report,
      withdrawals: report.withdrawals.map((w) => ({ ...w, events_after: 0 })),
    });
    expect(clean).toContain('No processing after any withdrawal (2 withdrawals checked).');
    expect(clean).not.toContain('(processed after withdrawal)');
    expect(renderConsentHtml({ ...report, withdrawals: [] })).toContain('No withdrawals in the period.');
  });

  it('notes when the evidence was cut at the limit', () => {
    expect(html).toContain(
      'Truncated: more checks matched than the limit of 3 rows; the 3 shown are violations first, newest first.',
    );
    expect(renderConsentHtml({ ...report, evidence_truncated: false })).not.toContain('Truncated');
  });

  it('says so when there is nothing to list', () => {
    const empty = renderConsentHtml({
      ...report,
      totals: { events: 0, valid: 0, violations: 0, users_affected: 0 },
      violations_by_kind: {},
      by_purpose_channel: [],
      evidence: [],
      evidence_truncated: false,
      withdrawals: [],
    });
    expect(empty).toContain('No violations in the period.');
    expect(empty).toContain('No events were processed for any purpose in the period.');
    expect(empty).toContain('No consent checks in the period.');
    expect(empty).toContain('<span data-total="violations">0</span>');
  });
});

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Said in the test's name, since vitest's skip takes no reason. */
const SKIP_REASON = HAS_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} is not installed)`;

describe('consent report HTML in Chromium', () => {
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string) {
    browser ??= await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  it.skipIf(!HAS_CHROMIUM)(
    `renders without errors, its totals match the report, and prints${SKIP_REASON}`,
    async () => {
      const { page, problems, requests } = await open(renderConsentHtml(report));

      const totals = await page.$$eval('[data-total]', (els) =>
        Object.fromEntries(els.map((e) => [e.getAttribute('data-total'), Number(e.textContent)])),
      );
      expect(totals).toEqual(report.totals);
      const kinds = await page.$$eval('[data-kind]', (els) =>
        Object.fromEntries(els.map((e) => [e.getAttribute('data-kind'), Number(e.textContent)])),
      );
      expect(kinds).toEqual(report.violations_by_kind);
      expect(await page.title()).toBe(
        'Consent compliance report, 2025-03-01T00:00:00Z to 2025-04-01T00:00:00Z',
      );
      expect(await page.locator('#proof-of-stopping .bad').first().textContent()).toContain(
        'Processing continued',
      );
      expect(await page.locator('#evidence-truncated').count()).toBe(1);

      await page.emulateMedia({ media: 'print' });
      // Runs in the page: the browser's own getComputedStyle (the project compiles without the DOM lib).
      const printed = await page.$eval('thead', (e) => {
        const style = e.ownerDocument.defaultView!.getComputedStyle;
        return {
          display: style(e).display,
          rowBreak: style(e.closest('table')!.querySelector('tbody tr')!).breakInside,
        };
      });
      expect(printed).toEqual({ display: 'table-header-group', rowBreak: 'avoid' });
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(1000);

      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    },
    30_000,
  );

  it.skipIf(!HAS_CHROMIUM)(
    `shows hostile values as text and runs nothing${SKIP_REASON}`,
    async () => {
      const { page, problems, requests } = await open(renderConsentHtml(hostile));
      expect(await page.locator('script, img, b').count()).toBe(0);
      expect(await page.locator('#evidence tbody tr').first().textContent()).toContain(SCRIPT);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    },
    30_000,
  );
});
