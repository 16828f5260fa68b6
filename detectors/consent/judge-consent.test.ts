import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../monitor/config/config.js';
import { ConsentLedger } from './consent-ledger.js';
import type { ConsentPolicy } from './consent-policy.js';
import { type ConsentRecord, readConsentRecord } from './consent-record.js';
import { type Judgement, judgeConsent } from './judge-consent.js';

/** The shipped catalogue: analytics under Consent Mode analytics_storage, advertising and sale opted out by GPC, quality_assurance under legitimate interest. */
const policy = buildConfig({}).detectors.consent;

const USER = 'jane.doe@example.com';
const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

function rec(
  purpose: string,
  status: 'granted' | 'denied' | 'withdrawn',
  ms: number,
  extra: Record<string, unknown> = {},
  p: ConsentPolicy = policy,
): ConsentRecord {
  const r = readConsentRecord({ user_id: USER, purpose, status, occurred_at: iso(ms), ...extra }, p);
  if (!r.ok) throw new Error(r.error);
  return r.record;
}

function ledgerOf(...records: ConsentRecord[]): ConsentLedger {
  const l = new ConsentLedger(100);
  for (const r of records) l.record(r);
  return l;
}

function judge(
  ledger: ConsentLedger,
  purpose: string,
  ms: number,
  opts: { region?: string | null; user?: string | null; policy?: ConsentPolicy } = {},
): Judgement {
  const j = judgeConsent(
    ledger,
    opts.policy ?? policy,
    opts.user === undefined ? USER : opts.user,
    purpose,
    ms,
    opts.region ?? null,
  );
  // Reasons end up in findings' messages: they never name the user.
  expect(j.reason).not.toContain('jane');
  return j;
}

describe('judgeConsent', () => {
  it('is valid under a grant in force at event time, naming the record', () => {
    const grant = rec('analytics', 'granted', T0, { region: 'DE', consent_version: 'v1' });
    const j = judge(ledgerOf(grant), 'analytics', T0 + HOUR, { region: 'DE' });
    expect(j).toEqual({ outcome: 'valid', record_id: grant.record_id, reason: 'consent granted' });
  });

  describe('consent_missing', () => {
    it('in an opt-in region with no record', () => {
      const j = judge(ledgerOf(), 'analytics', T0, { region: 'DE' });
      expect(j).toEqual({
        outcome: 'consent_missing',
        record_id: null,
        reason: 'no consent record for analytics',
      });
    });

    it('with no region at all and no default region: the safe reading is opt-in', () => {
      expect(policy.default_region).toBeNull();
      expect(judge(ledgerOf(), 'analytics', T0).outcome).toBe('consent_missing');
    });

    it('before the first record, even though the user consented later', () => {
      const l = ledgerOf(rec('analytics', 'granted', T0));
      expect(judge(l, 'analytics', T0 - 1, { region: 'FR' }).outcome).toBe('consent_missing');
      expect(judge(l, 'analytics', T0, { region: 'FR' }).outcome).toBe('valid');
    });

    it('when a record exists for another purpose only', () => {
      const l = ledgerOf(rec('model_training', 'granted', T0, { region: 'DE' }));
      expect(judge(l, 'analytics', T0 + HOUR).outcome).toBe('consent_missing');
    });

    it('when the event names no user to check', () => {
      const j = judge(ledgerOf(), 'analytics', T0, { user: null, region: 'DE' });
      expect(j).toEqual({
        outcome: 'consent_missing',
        record_id: null,
        reason: 'the event names no user to check consent for',
      });
    });
  });

  describe('no record in an opt-out region', () => {
    it('is allowed when the event names the region', () => {
      const j = judge(ledgerOf(), 'analytics', T0, { region: 'US-CA' });
      expect(j).toEqual({
        outcome: 'valid',
        record_id: null,
        reason: 'opt-out region, no objection recorded',
      });
    });

    it("is allowed when the user's latest record names the region", () => {
      const l = ledgerOf(rec('model_training', 'granted', T0, { region: 'US' }));
      expect(judge(l, 'analytics', T0 + HOUR).outcome).toBe('valid');
      // Not before that record said where the user is.
      expect(judge(l, 'analytics', T0 - 1).outcome).toBe('consent_missing');
    });

    it("the event's own region wins over the user's recorded one", () => {
      const l = ledgerOf(rec('model_training', 'granted', T0, { region: 'US' }));
      expect(judge(l, 'analytics', T0 + HOUR, { region: 'IE' }).outcome).toBe('consent_missing');
    });

    it('is allowed when the default region is an opt-out one', () => {
      const usDefault = buildConfig({ detectors: { consent: { default_region: 'US' } } }).detectors.consent;
      expect(judge(ledgerOf(), 'analytics', T0, { policy: usDefault }).outcome).toBe('valid');
      expect(judge(ledgerOf(), 'analytics', T0, { policy: usDefault, region: 'DE' }).outcome).toBe(
        'consent_missing',
      );
    });

    it('still honours an opt-out the user recorded', () => {
      const denial = rec('analytics', 'denied', T0, { region: 'US-CA' });
      const j = judge(ledgerOf(denial), 'analytics', T0 + HOUR, { region: 'US-CA' });
      expect(j).toMatchObject({ outcome: 'consent_denied', record_id: denial.record_id });
    });
  });

  it('consent_denied under a denial in force', () => {
    const denial = rec('analytics', 'denied', T0);
    expect(judge(ledgerOf(denial), 'analytics', T0 + HOUR)).toEqual({
      outcome: 'consent_denied',
      record_id: denial.record_id,
      reason: 'the user denied analytics',
    });
  });

  describe('consent_withdrawn', () => {
    const grant = rec('analytics', 'granted', T0);
    const withdrawal = rec('analytics', 'withdrawn', T0 + DAY);
    const l = ledgerOf(grant, withdrawal);

    it('for events at or after the withdrawal', () => {
      expect(judge(l, 'analytics', T0 + DAY)).toEqual({
        outcome: 'consent_withdrawn',
        record_id: withdrawal.record_id,
        reason: 'consent to analytics was withdrawn before the event',
      });
      expect(judge(l, 'analytics', T0 + 30 * DAY).outcome).toBe('consent_withdrawn');
    });

    it('events before the withdrawal stay valid', () => {
      expect(judge(l, 'analytics', T0 + DAY - 1)).toMatchObject({
        outcome: 'valid',
        record_id: grant.record_id,
      });
    });

    it('a withdrawal recorded late still applies by its event time', () => {
      const late = ledgerOf(grant);
      expect(judge(late, 'analytics', T0 + 2 * DAY).outcome).toBe('valid');
      late.record(withdrawal);
      expect(judge(late, 'analytics', T0 + 2 * DAY).outcome).toBe('consent_withdrawn');
      expect(judge(late, 'analytics', T0 + HOUR).outcome).toBe('valid');
    });
  });

  describe('consent_expired', () => {
    it("after the purpose's expiry_days (395 by default)", () => {
      expect(policy.purposes.analytics!.expiry_days).toBe(395);
      const grant = rec('analytics', 'granted', T0);
      const l = ledgerOf(grant);
      expect(judge(l, 'analytics', T0 + 395 * DAY - 1).outcome).toBe('valid');
      expect(judge(l, 'analytics', T0 + 395 * DAY)).toEqual({
        outcome: 'consent_expired',
        record_id: grant.record_id,
        reason: 'consent to analytics had expired at the event',
      });
    });

    it("at the record's own expires_at, which wins over the purpose's expiry", () => {
      const grant = rec('analytics', 'granted', T0, { expires_at: iso(T0 + 30 * DAY) });
      const l = ledgerOf(grant);
      expect(judge(l, 'analytics', T0 + 30 * DAY - 1).outcome).toBe('valid');
      expect(judge(l, 'analytics', T0 + 30 * DAY).outcome).toBe('consent_expired');
      const longer = ledgerOf(rec('analytics', 'granted', T0, { expires_at: iso(T0 + 500 * DAY) }));
      expect(judge(longer, 'analytics', T0 + 400 * DAY).outcome).toBe('valid');
    });

    it('never, for a purpose with expiry_days null', () => {
      const forever = buildConfig({
        detectors: { consent: { purposes: { analytics: { expiry_days: null } } } },
      }).detectors.consent;
      const l = ledgerOf(rec('analytics', 'granted', T0, {}, forever));
      expect(judge(l, 'analytics', T0 + 3650 * DAY, { policy: forever }).outcome).toBe('valid');
    });

    it('a renewed grant starts the expiry again', () => {
      const l = ledgerOf(rec('analytics', 'granted', T0), rec('analytics', 'granted', T0 + 300 * DAY));
      expect(judge(l, 'analytics', T0 + 400 * DAY).outcome).toBe('valid');
    });
  });

  describe('gpc_opt_out', () => {
    const l = ledgerOf(
      rec('advertising', 'granted', T0, { consent_mode: { ad_personalization: 'granted' } }),
      rec('analytics', 'granted', T0 + HOUR, { gpc: true }),
    );

    it('opts the user out of the purposes GPC covers, even over a grant', () => {
      expect(policy.purposes.advertising!.gpc_opt_out).toBe(true);
      expect(judge(l, 'advertising', T0 + 2 * HOUR)).toEqual({
        outcome: 'gpc_opt_out',
        record_id: null,
        reason: 'a Global Privacy Control signal opts the user out of advertising',
      });
    });

    it('not before the signal was seen', () => {
      expect(judge(l, 'advertising', T0 + HOUR - 1).outcome).toBe('valid');
    });

    it('leaves other purposes alone', () => {
      expect(judge(l, 'analytics', T0 + 2 * HOUR).outcome).toBe('valid');
    });

    it('ends when a later record carries GPC false', () => {
      const off = ledgerOf(
        rec('advertising', 'granted', T0),
        rec('analytics', 'granted', T0 + HOUR, { gpc: true }),
        rec('advertising', 'granted', T0 + 2 * HOUR, { gpc: false }),
      );
      expect(judge(off, 'advertising', T0 + 3 * HOUR).outcome).toBe('valid');
    });
  });

  it('consent_basis_invalid: a grant recorded under legitimate interest for a purpose that needs consent', () => {
    const grant = rec('analytics', 'granted', T0, { lawful_basis: 'legitimate_interest' });
    expect(judge(ledgerOf(grant), 'analytics', T0 + HOUR)).toEqual({
      outcome: 'consent_basis_invalid',
      record_id: grant.record_id,
      reason: 'analytics needs consent but was recorded under legitimate_interest',
    });
    const underConsent = rec('analytics', 'granted', T0, { lawful_basis: 'consent' });
    expect(judge(ledgerOf(underConsent), 'analytics', T0 + HOUR).outcome).toBe('valid');
  });

  describe('consent_version_stale', () => {
    const versioned = buildConfig({
      detectors: { consent: { purposes: { analytics: { current_version: 'v3' } } } },
    }).detectors.consent;
    const at = (extra: Record<string, unknown>) =>
      judge(ledgerOf(rec('analytics', 'granted', T0, extra, versioned)), 'analytics', T0 + HOUR, {
        policy: versioned,
      });

    it('when the user agreed to another version of the consent text, or none named', () => {
      expect(at({ consent_version: 'v2' })).toMatchObject({
        outcome: 'consent_version_stale',
        reason: 'consent to analytics was given to another version of the consent text than the current one',
      });
      expect(at({}).outcome).toBe('consent_version_stale');
    });

    it('not when the version is the current one, nor when the policy names none', () => {
      expect(at({ consent_version: 'v3' }).outcome).toBe('valid');
      const l = ledgerOf(rec('analytics', 'granted', T0, { consent_version: 'v1' }));
      expect(judge(l, 'analytics', T0 + HOUR).outcome).toBe('valid');
    });
  });

  describe('Consent Mode', () => {
    it('a grant whose Consent Mode signal for the purpose is denied is a denial', () => {
      const grant = rec('analytics', 'granted', T0, {
        consent_mode: { analytics_storage: 'denied', ad_storage: 'granted' },
      });
      expect(judge(ledgerOf(grant), 'analytics', T0 + HOUR)).toEqual({
        outcome: 'consent_denied',
        record_id: grant.record_id,
        reason: 'Consent Mode analytics_storage is denied',
      });
    });

    it('a denied signal governing another purpose does not matter', () => {
      const grant = rec('analytics', 'granted', T0, {
        consent_mode: { analytics_storage: 'granted', ad_personalization: 'denied' },
      });
      expect(judge(ledgerOf(grant), 'analytics', T0 + HOUR).outcome).toBe('valid');
      const training = rec('model_training', 'granted', T0, {
        consent_mode: { analytics_storage: 'denied' },
      });
      expect(judge(ledgerOf(training), 'model_training', T0 + HOUR).outcome).toBe('valid');
    });
  });

  describe('a purpose under legitimate interest', () => {
    it('is valid with no record, in an opt-in region and for an event with no user', () => {
      expect(policy.purposes.quality_assurance!.lawful_basis).toBe('legitimate_interest');
      expect(judge(ledgerOf(), 'quality_assurance', T0, { region: 'DE' })).toEqual({
        outcome: 'valid',
        record_id: null,
        reason: 'legitimate_interest',
      });
      expect(judge(ledgerOf(), 'quality_assurance', T0, { user: null }).outcome).toBe('valid');
    });

    it('is denied after the user objected, and valid again once they withdraw the objection', () => {
      const objection = rec('quality_assurance', 'denied', T0);
      const l = ledgerOf(objection, rec('quality_assurance', 'granted', T0 + DAY));
      expect(judge(l, 'quality_assurance', T0 - 1).outcome).toBe('valid');
      expect(judge(l, 'quality_assurance', T0 + HOUR)).toEqual({
        outcome: 'consent_denied',
        record_id: objection.record_id,
        reason: 'the user objected to quality_assurance',
      });
      expect(judge(l, 'quality_assurance', T0 + DAY).outcome).toBe('valid');
    });
  });
});
