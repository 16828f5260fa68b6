import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ErrorObject } from 'ajv';
import { CONSENT_DETECTOR } from '../../detectors/consent/consent-detector.js';
import type { Detector, InspectContext, Mode } from '../../detectors/detector.js';
import type { PiiAnalyzer } from '../../detectors/pii/analyzer.js';
import { createPiiAnalyzer } from '../../detectors/pii/default-recognizers.js';
import { mayHoldPii } from '../../detectors/pii/may-hold-pii.js';
import { createEventRedactor, type EventRedactor } from '../../detectors/pii/redact-event.js';
import { SCHEMA_DETECTOR } from '../../detectors/schema/schema-detector.js';
import { type Finding, type FindingKind, isViolation, makeFinding } from '../findings/finding.js';
import { safeToken, saltedHash } from '../findings/safe-token.js';
import { type EventOutcome, Metrics, type Source } from '../metrics/metrics.js';
import type { Contract } from '../registry/contract.js';
import type { ContractRegistry, ResolvedContract } from '../registry/registry.js';
import { checkShape, DEFAULT_SHAPE_LIMITS, type ShapeLimits } from './check-shape.js';
import {
  type ConversationEvent,
  DEFAULT_ENVELOPE_FIELDS,
  type Envelope,
  type EnvelopeFields,
  readEnvelope,
} from './envelope.js';
import type { BatchItem } from './parse-body.js';

const tracer = trace.getTracer('earshot');

/** Where findings go after metrics: the deduplicating store writer, or a collector in `check`. */
export interface FindingSink {
  push(finding: Finding): void;
}

export interface EventResult {
  event_id: string | null;
  status: EventOutcome;
  findings: Finding[];
}

export interface BatchResult {
  accepted: number;
  rejected: number;
  results: EventResult[];
  /** Redact mode: the redacted copy of each accepted event, in order (null for rejected ones). */
  redacted?: Array<ConversationEvent | null>;
}

export interface PipelineOptions {
  registry: ContractRegistry;
  detectors: Detector[];
  metrics?: Metrics;
  sinks?: FindingSink[];
  envelope?: EnvelopeFields;
  limits?: ShapeLimits;
  clock?: () => Date;
  /** Builds redact mode's copies; default: every shipped recognizer, `<ENTITY>` replacement. */
  redactor?: EventRedactor;
  /** Finds PII in event ids, which are hashed before they reach results and findings. */
  piiAnalyzer?: PiiAnalyzer;
}

/**
 * The one pipeline every source, the CLI and the tests go through:
 * parse -> envelope -> contract version -> validate -> per-event detectors ->
 * verdict; findings to metrics and sinks. Synchronous, no I/O per event.
 */
export class Pipeline {
  readonly registry: ContractRegistry;
  readonly metrics: Metrics;
  private readonly detectors: Detector[];
  private readonly inspectors: Detector[];
  private readonly sinks: FindingSink[];
  private readonly fields: EnvelopeFields;
  private readonly limits: ShapeLimits;
  private readonly clock: () => Date;
  private redactor: EventRedactor | undefined;
  private readonly piiAnalyzer: PiiAnalyzer;
  /**
   * The envelopes prepare() read, by batch, for the processBatch of the same
   * items so each is read once; by batch because requests prepare concurrently.
   */
  private readonly prepared = new WeakMap<readonly BatchItem[], Array<Envelope | undefined>>();
  /** Latest event time seen (ms): the clock of batch checks over historical files. */
  private latestEventMs = Number.NEGATIVE_INFINITY;

  constructor(opts: PipelineOptions) {
    this.registry = opts.registry;
    this.detectors = opts.detectors;
    this.inspectors = opts.detectors.filter((d) => d.inspect);
    this.metrics = opts.metrics ?? new Metrics({ version: '0.0.0', collectProcess: false });
    this.sinks = opts.sinks ?? [];
    this.fields = opts.envelope ?? DEFAULT_ENVELOPE_FIELDS;
    this.limits = opts.limits ?? DEFAULT_SHAPE_LIMITS;
    this.clock = opts.clock ?? (() => new Date());
    this.redactor = opts.redactor;
    this.piiAnalyzer = opts.piiAnalyzer ?? createPiiAnalyzer();
    this.metrics.declareContracts(this.registry.labelPairs());
    for (const d of this.detectors) this.metrics.declareFindings(d.name, d.kinds);
  }

  /** Call after the registry gained versions, so their metric series exist. */
  refreshContracts(): void {
    this.metrics.declareContracts(this.registry.labelPairs());
  }

  /**
   * Lets detectors load what the batch needs before it is checked (the
   * consent ledger's users), in one round trip per detector. Call it before
   * processBatch; a batch processed without it is still checked, against
   * what is in memory.
   */
  async prepare(items: readonly BatchItem[]): Promise<void> {
    const preparing = this.detectors.filter((d) => d.prepare);
    if (preparing.length === 0) return;
    const envelopes: Envelope[] = [];
    const byItem: Array<Envelope | undefined> = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (!item.ok || item.value === null || typeof item.value !== 'object' || Array.isArray(item.value))
        continue;
      const envelope = readEnvelope(item.value as ConversationEvent, this.fields);
      envelopes.push(envelope);
      byItem[i] = envelope;
    }
    this.prepared.set(items, byItem);
    for (const d of preparing) await d.prepare!(envelopes);
  }

  /**
   * Checks a batch, under a span of its own (`earshot.batch`, a no-op
   * unless tracing is on) with the counts an operator reads a trace for.
   */
  processBatch(items: BatchItem[], opts: { mode?: Mode; source?: Source } = {}): BatchResult {
    return tracer.startActiveSpan('earshot.batch', (span) => {
      try {
        const result = this.checkBatch(items, opts);
        let findings = 0;
        for (const r of result.results) findings += r.findings.length;
        span.setAttributes({
          'earshot.source': opts.source ?? 'http',
          'earshot.mode': opts.mode ?? 'observe',
          'earshot.events': items.length,
          'earshot.accepted': result.accepted,
          'earshot.rejected': result.rejected,
          'earshot.findings': findings,
        });
        return result;
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  private checkBatch(items: BatchItem[], opts: { mode?: Mode; source?: Source }): BatchResult {
    const mode = opts.mode ?? 'observe';
    const source = opts.source ?? 'http';
    const started = process.hrtime.bigint();
    const now = this.clock();
    const results: EventResult[] = new Array(items.length);
    const redacted: Array<ConversationEvent | null> | undefined = mode === 'redact' ? [] : undefined;
    // Counted per batch, then added to prom-client once per label set: label hashing per event would dominate.
    const eventCounts = new Map<string, number>();
    let accepted = 0;
    const prepared = this.prepared.get(items);
    if (prepared) this.prepared.delete(items);
    for (let i = 0; i < items.length; i++) {
      const { result, resolved, event, named } = this.processOne(items[i]!, mode, now, prepared?.[i]);
      results[i] = result;
      if (result.status !== 'rejected') accepted++;
      // contractLabels keeps only names the registry declared, so traffic cannot invent series.
      const labels = this.metrics.contractLabels(
        resolved?.contract.contract ?? named?.contract ?? null,
        resolved?.contract.version ?? named?.version ?? null,
      );
      const key = `${labels.contract}\u0000${labels.version}\u0000${result.status}`;
      eventCounts.set(key, (eventCounts.get(key) ?? 0) + 1);
      for (const f of result.findings) this.emit(f);
      if (redacted) {
        redacted.push(
          result.status === 'rejected' || !event ? null : this.redact(event, resolved?.contract ?? null),
        );
      }
    }
    for (const [key, n] of eventCounts) {
      const [contract, version, outcome] = key.split('\u0000') as [string, string, string];
      this.metrics.events.inc({ contract, version, outcome }, n);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.batchDuration.observe({ source }, seconds);
    this.metrics.batchSize.observe({ source }, items.length);
    return {
      accepted,
      rejected: items.length - accepted,
      results,
      ...(redacted ? { redacted } : {}),
    };
  }

  /** The redacted copy of one event: its contract's governance, then every entity the analyzer finds. */
  redact(event: ConversationEvent, contract: Contract | null): ConversationEvent {
    this.redactor ??= createEventRedactor({ analyzer: this.piiAnalyzer, operators: { default: 'replace' } });
    return this.redactor.event(event, contract).event;
  }

  /** Runs the windowed detectors over their windows; findings go to metrics and sinks too. */
  evaluate(now: Date = this.clock()): Finding[] {
    const out: Finding[] = [];
    for (const d of this.detectors) {
      if (!d.evaluate) continue;
      for (const f of d.evaluate(now)) {
        this.emit(f);
        out.push(f);
      }
    }
    return out;
  }

  /** The latest event time seen, for evaluating windows over historical traffic. */
  latestEventTime(): Date | null {
    return Number.isFinite(this.latestEventMs) ? new Date(this.latestEventMs) : null;
  }

  async start(): Promise<void> {
    for (const d of this.detectors) await d.start?.();
  }

  async stop(): Promise<void> {
    for (const d of this.detectors) await d.stop?.();
  }

  /**
   * The event id as results and findings show it. Ids are meant to be
   * opaque, but some producers use an email or a phone number; those are
   * replaced by their salted hash so the raw value never reaches the store.
   */
  private safeEventId(id: string): string {
    if (!mayHoldPii(id)) return id;
    return this.piiAnalyzer.analyze(id).length > 0 ? saltedHash(id) : id;
  }

  private emit(f: Finding): void {
    this.metrics.findings.inc({ detector: f.detector, kind: f.kind, severity: f.severity }, f.count);
    if (f.kind === 'pii_leak') this.metrics.countPiiLeak(f);
    else if (f.detector === CONSENT_DETECTOR && f.kind !== 'malformed') this.metrics.countConsentViolation(f);
    for (const s of this.sinks) s.push(f);
  }

  private processOne(
    item: BatchItem,
    mode: Mode,
    now: Date,
    prepared: Envelope | undefined,
  ): {
    result: EventResult;
    resolved: ResolvedContract | null;
    event: ConversationEvent | null;
    /** What an unresolved event named, for metric labels (filtered against the registry there). */
    named?: { contract: string | null; version: string | null };
  } {
    if (!item.ok) return this.refuse(null, null, item.reason, now);
    const value = item.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return this.refuse(null, null, `the event is ${what}, not a JSON object`, now);
    }
    const event = value as ConversationEvent;
    const envelope = prepared ?? readEnvelope(event, this.fields);
    if (envelope.event_id !== null) envelope.event_id = this.safeEventId(envelope.event_id);
    const shapeProblem = checkShape(event, this.limits);
    if (shapeProblem) return this.refuse(envelope, null, shapeProblem, now);
    if (envelope.event_type === null) {
      return this.refuse(
        envelope,
        `/${this.fields.event_type}`,
        `the event has no ${this.fields.event_type}`,
        now,
      );
    }
    const resolution = this.registry.resolve(envelope.event_type, envelope.schema_version);
    // The clock of historical checks: only events that resolved, and never far past our own clock,
    // so one event dated 2099 cannot slide every window past the traffic.
    if (resolution.ok && envelope.occurred_ms !== null) {
      const ms = Math.min(envelope.occurred_ms, now.getTime() + 60_000);
      if (ms > this.latestEventMs) this.latestEventMs = ms;
    }
    if (!resolution.ok) {
      const finding = this.schemaFinding(envelope, resolution.kind, null, resolution.message, now);
      const refused = resolution.kind === 'retired_version' || mode === 'enforce';
      return {
        result: {
          event_id: envelope.event_id,
          status: refused ? 'rejected' : 'violation',
          findings: [finding],
        },
        resolved: null,
        event,
        named: { contract: envelope.event_type, version: envelope.schema_version },
      };
    }
    const resolved = resolution.resolved;
    const findings: Finding[] = [];
    if (resolution.deprecated) {
      findings.push(
        this.schemaFinding(
          envelope,
          'deprecated_version',
          resolved,
          `${resolved.contract.contract} ${resolved.contract.version} is deprecated`,
          now,
        ),
      );
    }
    let errors: ErrorObject[] | null = null;
    if (!resolved.validate(event)) errors = [...(resolved.validate.errors ?? [])];
    const ctx: InspectContext = { envelope, contract: resolved, validationErrors: errors, mode, now };
    for (const d of this.inspectors) {
      const found = d.inspect!(event, ctx);
      for (const f of found) findings.push(f);
    }
    let status: EventOutcome = 'ok';
    if (findings.some(isViolation)) status = mode === 'enforce' ? 'rejected' : 'violation';
    else if (findings.length > 0) status = 'warning';
    return { result: { event_id: envelope.event_id, status, findings }, resolved, event };
  }

  private refuse(
    envelope: Envelope | null,
    attribute: string | null,
    reason: string,
    now: Date,
  ): { result: EventResult; resolved: null; event: null } {
    const finding = makeFinding(
      {
        detector: SCHEMA_DETECTOR,
        kind: 'malformed',
        attribute,
        event_id: envelope?.event_id ?? null,
        occurred_at: envelope?.occurred_at ?? null,
        message: reason,
      },
      now,
    );
    return {
      result: { event_id: envelope?.event_id ?? null, status: 'rejected', findings: [finding] },
      resolved: null,
      event: null,
    };
  }

  private schemaFinding(
    envelope: Envelope,
    kind: FindingKind,
    resolved: ResolvedContract | null,
    message: string,
    now: Date,
  ): Finding {
    // Only a contract the registry knows is named; anything else from traffic is shown as a safe token.
    const named = kind === 'unknown_contract' ? null : envelope.event_type;
    return makeFinding(
      {
        detector: SCHEMA_DETECTOR,
        kind,
        contract: resolved?.contract.contract ?? named,
        version:
          resolved?.contract.version ??
          (kind === 'retired_version' && envelope.schema_version !== null
            ? safeToken(envelope.schema_version)
            : null),
        attribute:
          kind === 'unknown_contract' ? `/${this.fields.event_type}` : `/${this.fields.schema_version}`,
        event_id: envelope.event_id,
        occurred_at: envelope.occurred_at,
        message,
        evidence:
          kind === 'unknown_contract'
            ? { event_type: safeToken(envelope.event_type ?? '') }
            : {
                requested_version:
                  envelope.schema_version === null ? null : safeToken(envelope.schema_version),
              },
      },
      now,
    );
  }
}
