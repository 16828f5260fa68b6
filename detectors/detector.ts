import type { ErrorObject } from 'ajv';
import type { Finding, FindingKind, Severity } from '../monitor/findings/finding.js';
import type { ConversationEvent, Envelope } from '../monitor/pipeline/envelope.js';
import type { ResolvedContract } from '../monitor/registry/registry.js';

/**
 * The one interface every detector implements.
 *
 * Lifecycle: a detector is built by its factory from a validated config
 * section; `start()` and `stop()` are optional, idempotent, and `stop()` is
 * safe before `start()` and twice. `inspect` runs on the hot path for every
 * event: synchronous, no I/O. `evaluate` runs periodically (and once at the
 * end of a batch check) over the window the detector keeps, and returns the
 * findings that window shows.
 */
export interface Detector {
  readonly name: string;
  /** Every kind this detector can report, so metrics start each (detector, kind, severity) at zero. */
  readonly kinds: ReadonlyArray<{ kind: FindingKind; severity: Severity }>;
  /**
   * Runs before a batch is inspected, for state the hot path must find in
   * memory (the consent ledger's users): the only place a detector may wait
   * on I/O. `inspect` must still work when a caller skipped it.
   */
  prepare?(envelopes: readonly Envelope[]): Promise<void>;
  inspect?(event: ConversationEvent, ctx: InspectContext): Finding[];
  evaluate?(now: Date): Finding[];
  /**
   * A windowed detector's state per contract (windows, reference, frozen
   * edges, gates), plain JSON for the store, so a restart carries on from
   * it. Includes a fingerprint of the contract section it was built under.
   */
  snapshot?(): MonitorSnapshot[];
  /**
   * Called once at start, before any event, with what snapshot() returned
   * before the restart. A snapshot whose contract section has changed since
   * (another fingerprint) is dropped, and that monitor starts afresh.
   */
  restore?(snapshots: readonly MonitorSnapshot[]): void;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export interface MonitorSnapshot {
  contract: string;
  state: unknown;
}

export type Mode = 'observe' | 'enforce' | 'redact';

export interface InspectContext {
  envelope: Envelope;
  /** The contract version the event was resolved to; detectors run only on resolved events. */
  contract: ResolvedContract;
  /** Errors the compiled validator reported for this event (null when it is valid). */
  validationErrors: readonly ErrorObject[] | null;
  mode: Mode;
  now: Date;
}

/** Builds a detector from its config section. `configSchema` fills defaults and names bad keys. */
export interface DetectorFactory<C = Record<string, unknown>> {
  readonly name: string;
  readonly configSchema: Record<string, unknown>;
  create(config: C): Detector;
}
