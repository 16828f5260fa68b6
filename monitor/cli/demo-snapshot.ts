import type { App } from '../app.js';
import { EVENT_OUTCOMES, type EventOutcome } from '../metrics/metrics.js';

/** What the demo's live summary shows at one moment. */
export interface DemoSnapshot {
  uptimeSeconds: number;
  /** Events checked over the last seconds, from every source (demo traffic and HTTP). */
  eventsPerSecond: number;
  targetRate: number;
  seed: number;
  events: number;
  outcomes: Record<EventOutcome, number>;
  findings: number;
  /** Finding kinds, largest count first. */
  byKind: Array<{ kind: string; count: number }>;
  queueDepth: number;
  dropped: number;
  apiUrl: string;
  metricsUrl: string;
  /** The API keys the demo made, by role, when it made them (printed so each route can be tried). */
  keys?: Array<{ role: string; key: string }>;
}

export interface EventTotals {
  events: number;
  outcomes: Record<EventOutcome, number>;
  findings: number;
  byKind: Array<{ kind: string; count: number }>;
}

/**
 * Totals read from the app's metrics rather than counted by the demo, so the
 * summary agrees with /metrics and includes events posted to the API too.
 */
export async function readTotals(app: App): Promise<EventTotals> {
  const outcomes = Object.fromEntries(EVENT_OUTCOMES.map((o) => [o, 0])) as Record<EventOutcome, number>;
  for (const v of (await app.metrics.events.get()).values) {
    const outcome = v.labels.outcome as EventOutcome;
    if (outcome in outcomes) outcomes[outcome] += v.value;
  }
  const kinds = new Map<string, number>();
  for (const v of (await app.metrics.findings.get()).values) {
    const kind = String(v.labels.kind);
    kinds.set(kind, (kinds.get(kind) ?? 0) + v.value);
  }
  const byKind = [...kinds]
    .filter(([, n]) => n > 0)
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  return {
    events: EVENT_OUTCOMES.reduce((n, o) => n + outcomes[o], 0),
    outcomes,
    findings: byKind.reduce((n, k) => n + k.count, 0),
    byKind,
  };
}
