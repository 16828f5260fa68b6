/**
 * Who may call what. A key holds one or more roles; a route names the one
 * it needs here, in one table, so the rules can be read (and tested) at a
 * glance rather than found route by route.
 *
 * - producer: sends events and asks for redaction (the pipelines);
 * - operator: findings, monitors, experiments and contracts (data teams, on-call);
 * - auditor: consent reports, subject timelines and erasure (compliance).
 *
 * `metrics` and `health` are open or need a key (any role) by configuration;
 * `open` routes (the runbooks) never need one.
 */
export const ROLES = ['producer', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export type Access = Role | 'metrics' | 'health' | 'open';

export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  'POST /v1/events': 'producer',
  'POST /v1/redact': 'producer',
  'GET /v1/findings': 'operator',
  'GET /v1/monitors': 'operator',
  'GET /v1/experiments': 'operator',
  'GET /v1/experiments/:id': 'operator',
  'POST /v1/experiments': 'operator',
  'DELETE /v1/experiments/:id': 'operator',
  'GET /v1/contracts': 'operator',
  'GET /v1/contracts/:name': 'operator',
  'GET /v1/contracts/:name/:version': 'operator',
  'POST /v1/contracts': 'operator',
  'GET /v1/consent/:user_id': 'auditor',
  'DELETE /v1/consent/:user_id': 'auditor',
  'GET /v1/reports/consent': 'auditor',
  'GET /metrics': 'metrics',
  'GET /healthz': 'health',
  'GET /readyz': 'health',
  'GET /runbooks': 'open',
};

/** The access a request needs: by its method and route as registered (HEAD as GET); null for a route not in the table. */
export function accessOf(method: string, route: string | undefined): Access | null {
  if (route === undefined) return null;
  return ROUTE_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${route}`] ?? null;
}
