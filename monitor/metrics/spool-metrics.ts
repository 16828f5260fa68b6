import { Counter, Gauge, type Registry } from 'prom-client';

export interface SpoolReading {
  /** Bytes and units waiting in the spool for the store. */
  bytes: number;
  units: number;
  /** The spool's limit (store.spool.maxBytes): past it ingestion answers 503. */
  maxBytes: number;
  /** Units spooled and replayed since start. */
  spooled: number;
  replayed: number;
  /** Consent records and checks the database refused as data (findings have their own counter). */
  droppedRecords: number;
  droppedChecks: number;
}

/**
 * The spool's gauges and counters, read from `probe` at scrape time. Without a
 * spool (disabled, or an in-memory store) they are not registered at all, so
 * a dashboard shows "no data" rather than a spool that looks empty.
 */
export function registerSpoolMetrics(registry: Registry, probe: () => SpoolReading): void {
  const registers = [registry];
  const gauge = (name: string, help: string, pick: (r: SpoolReading) => number) => {
    const g: Gauge = new Gauge({ name, help, registers, collect: () => g.set(pick(probe())) });
  };
  gauge(
    'earshot_spool_bytes',
    'Bytes of write units in the local spool, waiting for the store.',
    (r) => r.bytes,
  );
  gauge('earshot_spool_units', 'Write units in the local spool, waiting for the store.', (r) => r.units);
  gauge(
    'earshot_spool_max_bytes',
    'The spool limit (store.spool.maxBytes); near it ingest answers 503.',
    (r) => r.maxBytes,
  );
  // The counters mirror totals the writer keeps; each scrape adds what is new.
  const counter = (
    name: string,
    help: string,
    label: string,
    totals: Record<string, (r: SpoolReading) => number>,
  ) => {
    const seen = new Map<string, number>();
    const c: Counter<string> = new Counter({
      name,
      help,
      labelNames: [label],
      registers,
      collect: () => {
        const r = probe();
        for (const [value, pick] of Object.entries(totals)) {
          const total = pick(r);
          const delta = total - (seen.get(value) ?? 0);
          if (delta > 0) c.inc({ [label]: value }, delta);
          seen.set(value, total);
        }
      },
    });
    for (const value of Object.keys(totals)) c.inc({ [label]: value }, 0);
  };
  counter(
    'earshot_spool_units_total',
    'Write units spooled because the store failed, and replayed into it.',
    'event',
    {
      spooled: (r) => r.spooled,
      replayed: (r) => r.replayed,
    },
  );
  counter(
    'earshot_store_dropped_rows_total',
    'Consent records and checks the database refused as data.',
    'kind',
    {
      record: (r) => r.droppedRecords,
      check: (r) => r.droppedChecks,
    },
  );
}
