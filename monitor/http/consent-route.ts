import type { FastifyInstance, FastifyReply } from 'fastify';
import type { App } from '../app.js';
import { saltedHash } from '../findings/safe-token.js';
import { buildConsentReport, DEFAULT_EVIDENCE_LIMIT } from '../reports/build-consent-report.js';
import { renderConsentCsv } from '../reports/consent-report-csv.js';
import { renderConsentHtml } from '../reports/consent-report-html.js';
import { HttpError } from './http-error.js';
import { errorResponses } from './schemas.js';

const USER_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['user_id'],
  properties: { user_id: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

const REPORT_QUERY = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    format: { enum: ['json', 'csv', 'html'], default: 'json' },
    evidence_limit: { type: 'integer', minimum: 0, maximum: 100_000, default: DEFAULT_EVIDENCE_LIMIT },
  },
} as const;

interface ReportQuery {
  from: string;
  to: string;
  format: 'json' | 'csv' | 'html';
  evidence_limit: number;
}

/** An RFC 3339 time as UTC ISO text; the schema checked the format. */
function utc(value: string, name: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new HttpError(400, 'bad_request', `${name} is not a valid date-time`);
  return new Date(ms).toISOString();
}

/**
 * Consent for data subjects and compliance officers:
 * - GET /v1/consent/:user_id: the user's consent timeline and consent
 *   violations (an access request). Pending writes are flushed first, so
 *   the answer holds everything received.
 * - DELETE /v1/consent/:user_id: an erasure request. The user's ledger
 *   records are deleted and their id in retained checks replaced by its
 *   salted hash, keeping the report's counts.
 * - GET /v1/reports/consent?from&to&format=json|csv|html: the compliance report.
 */
const STORE_RETRY_SECONDS = 10;

/**
 * Flushes what is held and checks it reached the store. Consent rows still
 * in the spool (the store away, or its replay under way) would be missing
 * from a timeline or a report, and an erasure would miss them and let the
 * replay bring the user's raw records back: those answer 503 until the spool
 * is replayed. False when the 503 was sent.
 */
async function storeIsCurrent(app: App, reply: FastifyReply): Promise<boolean> {
  let current = true;
  try {
    current = (await app.flusher.flush()) !== 'spooled';
  } catch {
    current = false;
  }
  const spool = app.durable.spool;
  if (current && (!spool || spool.isEmpty()) && app.flusher.heldRows().units === 0) return true;
  await reply
    .code(503)
    .header('retry-after', String(STORE_RETRY_SECONDS))
    .send({
      error: 'store_backlog',
      message: `consent rows wait for the store (it was away); retry after ${STORE_RETRY_SECONDS} s, once they are written`,
    });
  return false;
}

export async function consentRoute(server: FastifyInstance, app: App): Promise<void> {
  server.get<{ Params: { user_id: string } }>(
    '/v1/consent/:user_id',
    { schema: { params: USER_PARAMS, response: errorResponses(400, 503) } },
    async (request, reply) => {
      const user = request.params.user_id;
      if (!(await storeIsCurrent(app, reply))) return reply;
      const [records, violations] = await Promise.all([
        app.store.consent.timeline(user),
        app.store.consent.violationsOf(user),
      ]);
      return {
        user_id: user,
        timeline: records.map(({ occurred_ms: _ms, expires_ms: _e, user_id: _u, ...r }) => r),
        violations,
      };
    },
  );

  server.delete<{ Params: { user_id: string } }>(
    '/v1/consent/:user_id',
    { schema: { params: USER_PARAMS, response: errorResponses(400, 503) } },
    async (request, reply) => {
      const user = request.params.user_id;
      if (!(await storeIsCurrent(app, reply))) return reply;
      app.detectors.ledger.forget(user);
      const hash = saltedHash(user);
      const result = await app.store.consent.erase(user, hash);
      return { user: hash, ...result };
    },
  );

  server.get<{ Querystring: ReportQuery }>(
    '/v1/reports/consent',
    { schema: { querystring: REPORT_QUERY, response: errorResponses(400, 503) } },
    async (request, reply) => {
      const q = request.query;
      const from = utc(q.from, 'from');
      const to = utc(q.to, 'to');
      if (from >= to) throw new HttpError(400, 'bad_request', 'from must be before to');
      if (!(await storeIsCurrent(app, reply))) return reply;
      const report = await buildConsentReport(
        app.store.consent,
        { from, to },
        { evidenceLimit: q.evidence_limit },
      );
      if (q.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="consent-report-${from.slice(0, 10)}.csv"`)
          .send(renderConsentCsv(report));
      }
      if (q.format === 'html') return reply.type('text/html; charset=utf-8').send(renderConsentHtml(report));
      return report;
    },
  );
}
