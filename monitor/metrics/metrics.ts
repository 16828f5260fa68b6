import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { isPiiEntity, PII_ENTITIES } from '../../detectors/pii/entities.js';
import type { Finding, FindingKind, Severity } from '../findings/finding.js';
import { ExperimentMetrics } from './experiment-metrics.js';

/** Label value for anything traffic names that configuration does not (unknown event types, versions). */
export const UNKNOWN_LABEL = '__unknown__';

export const EVENT_OUTCOMES = ['ok', 'warning', 'violation', 'rejected'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

export const SOURCES = ['http', 'file', 'demo', 'nats'] as const;
export type Source = (typeof SOURCES)[number];

/** The consent ledger's counters, read at scrape time. */
export interface ConsentReading {
  /** Records added to the ledger by this process (consent events and imports through it). */
  recorded: number;
  hits: number;
  misses: number;
  users: number;
}

export interface StoreReading {
  queueDepth: number;
  lagSeconds: number;
  dropped: number;
}

/**
 * earshot's metrics, on a registry of their own (so tests and embedders do
 * not share prom-client's global one). Label values come from configuration
 * and code only: contract names and versions from the registry, detector and
 * kind names from the detectors; anything else a request names is counted
 * under UNKNOWN_LABEL, so traffic can never blow up the series count.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly events: Counter<'contract' | 'version' | 'outcome'>;
  readonly findings: Counter<'detector' | 'kind' | 'severity'>;
  readonly piiEntities: Counter<'contract' | 'entity'>;
  readonly batchDuration: Histogram<'source'>;
  readonly batchSize: Histogram<'source'>;
  readonly storeQueueDepth: Gauge;
  readonly storeWriteLag: Gauge;
  readonly storeWrites: Counter<'outcome'>;
  readonly storeDropped: Counter;
  /** HTTP requests by route (as registered, or `unmatched`) and status code: a producer whose every request fails shows here. */
  readonly httpRequests: Counter<'route' | 'method' | 'code'>;
  readonly completeness: Gauge<'contract' | 'version' | 'attribute'>;
  /** Distribution drift per monitored attribute: the test statistic, p-values, effect and PSI, and the verdict. */
  readonly distributionStatistic: Gauge<'contract' | 'attribute' | 'statistic'>;
  readonly distributionDrift: Gauge<'contract' | 'attribute'>;
  /** Calibration per contract and model: ECE, MCE, Brier, accuracy and the accuracy confidence promises; the reliability diagram. */
  readonly calibrationStatistic: Gauge<'contract' | 'model' | 'statistic'>;
  readonly calibrationReliability: Gauge<'contract' | 'model' | 'bin' | 'quantity'>;
  readonly calibrationDrift: Gauge<'contract' | 'model'>;
  readonly embeddingStatistic: Gauge<'contract' | 'attribute' | 'statistic'>;
  readonly embeddingDrift: Gauge<'contract' | 'attribute'>;
  readonly contractsLoaded: Gauge;
  /** Holdout experiments: units, means, lifts and their intervals, p-values, sample-ratio checks. */
  readonly experiments: ExperimentMetrics;
  readonly consentViolations: Counter<'purpose' | 'kind'>;
  readonly consentRecords: Counter;
  readonly consentCacheHitRatio: Gauge;
  readonly consentCacheUsers: Gauge;
  private readonly knownPurposes = new Set<string>();
  private consentProbe: (() => ConsentReading) | null = null;
  private readonly knownContracts = new Map<string, Set<string>>();
  /** Read at scrape time, so queue gauges are current rather than as of the last evaluation. */
  private storeProbe: (() => StoreReading) | null = null;

  constructor(opts: { version: string; collectProcess?: boolean } = { version: '0.0.0' }) {
    const registers = [this.registry];
    this.events = new Counter({
      name: 'earshot_events_total',
      help: 'Events checked, by contract, version and outcome (ok, warning, violation, rejected).',
      labelNames: ['contract', 'version', 'outcome'],
      registers,
    });
    this.findings = new Counter({
      name: 'earshot_findings_total',
      help: 'Findings reported, by detector, kind and severity.',
      labelNames: ['detector', 'kind', 'severity'],
      registers,
    });
    this.piiEntities = new Counter({
      name: 'earshot_pii_entities_total',
      help: 'PII entities found where the contract does not declare them (leaks), by contract and entity type.',
      labelNames: ['contract', 'entity'],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'earshot_pipeline_batch_duration_seconds',
      help: 'Time the pipeline spends on one batch of events, parse excluded.',
      labelNames: ['source'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'earshot_batch_size_events',
      help: 'Events per batch handed to the pipeline.',
      labelNames: ['source'],
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 5000],
      registers,
    });
    this.storeQueueDepth = new Gauge({
      name: 'earshot_store_queue_depth',
      help: 'Aggregated findings waiting to be written to the store.',
      registers,
      collect: () => {
        const r = this.storeProbe?.();
        if (r) this.storeQueueDepth.set(r.queueDepth);
      },
    });
    this.storeWriteLag = new Gauge({
      name: 'earshot_store_write_lag_seconds',
      help: 'Age of the oldest finding not yet written to the store.',
      registers,
      collect: () => {
        const r = this.storeProbe?.();
        if (r) this.storeWriteLag.set(r.lagSeconds);
      },
    });
    this.storeWrites = new Counter({
      name: 'earshot_store_writes_total',
      help: 'Write units flushed, by outcome: ok (stored), spooled (the store failed; on disk), failed (neither; held in memory).',
      labelNames: ['outcome'],
      registers,
    });
    this.httpRequests = new Counter({
      name: 'earshot_http_requests_total',
      help: 'HTTP requests answered, by route (as registered; unmatched for any other path), method and status code.',
      labelNames: ['route', 'method', 'code'],
      registers,
    });
    for (const code of ['200', '400', '413', '415', '500', '503']) {
      this.httpRequests.inc({ route: '/v1/events', method: 'POST', code }, 0);
    }
    let droppedSeen = 0;
    this.storeDropped = new Counter({
      name: 'earshot_store_dropped_findings_total',
      help: 'Findings dropped because the store queue was full or the database refused them as data.',
      registers,
      collect: () => {
        const r = this.storeProbe?.();
        if (r && r.dropped > droppedSeen) {
          this.storeDropped.inc(r.dropped - droppedSeen);
          droppedSeen = r.dropped;
        }
      },
    });
    this.consentViolations = new Counter({
      name: 'earshot_consent_violations_total',
      help: 'Events processed without valid consent, by purpose and finding kind.',
      labelNames: ['purpose', 'kind'],
      registers,
    });
    let recordedSeen = 0;
    this.consentRecords = new Counter({
      name: 'earshot_consent_ledger_records_total',
      help: 'Consent records added to the ledger (consent events; duplicates not counted).',
      registers,
      collect: () => {
        const r = this.consentProbe?.();
        if (r && r.recorded > recordedSeen) {
          this.consentRecords.inc(r.recorded - recordedSeen);
          recordedSeen = r.recorded;
        }
      },
    });
    this.consentCacheHitRatio = new Gauge({
      name: 'earshot_consent_cache_hit_ratio',
      help: 'Share of user lookups before a batch that the ledger cache answered without the store.',
      registers,
      collect: () => {
        const r = this.consentProbe?.();
        if (r) this.consentCacheHitRatio.set(r.hits + r.misses === 0 ? 1 : r.hits / (r.hits + r.misses));
      },
    });
    this.consentCacheUsers = new Gauge({
      name: 'earshot_consent_cache_users',
      help: 'Users whose consent records the ledger cache holds.',
      registers,
      collect: () => {
        const r = this.consentProbe?.();
        if (r) this.consentCacheUsers.set(r.users);
      },
    });
    this.completeness = new Gauge({
      name: 'earshot_completeness_ratio',
      help: 'Non-null share of an attribute over the completeness window.',
      labelNames: ['contract', 'version', 'attribute'],
      registers,
    });
    this.distributionStatistic = new Gauge({
      name: 'earshot_distribution_drift_statistic',
      help: 'Distribution drift of a monitored attribute at the last evaluation, by statistic: the test statistic (chi_square or kolmogorov_smirnov), p_value, p_adjusted (Benjamini-Hochberg across the contract), the effect (jensen_shannon or wasserstein_normed) and psi.',
      labelNames: ['contract', 'attribute', 'statistic'],
      registers,
    });
    this.distributionDrift = new Gauge({
      name: 'earshot_distribution_drift',
      help: '1 while a monitored attribute drifts over k of the last n evaluations (a distribution_drift finding), else 0.',
      labelNames: ['contract', 'attribute'],
      registers,
    });
    this.calibrationStatistic = new Gauge({
      name: 'earshot_calibration_statistic',
      help: 'Calibration of a model over the current window, by statistic: ece, mce, brier, accuracy (realized, from labels), expected_accuracy (mean confidence of every prediction, labelled or not), reference_ece, ece_delta_lower (bootstrap lower bound of the rise over the reference).',
      labelNames: ['contract', 'model', 'statistic'],
      registers,
    });
    this.calibrationReliability = new Gauge({
      name: 'earshot_calibration_reliability',
      help: 'Reliability diagram of a model over the current window, per bin (its upper edge): accuracy, confidence (mean) and count of labelled predictions.',
      labelNames: ['contract', 'model', 'bin', 'quantity'],
      registers,
    });
    this.calibrationDrift = new Gauge({
      name: 'earshot_calibration_drift',
      help: '1 while a model is miscalibrated over k of the last n evaluations (a calibration_drift finding), else 0.',
      labelNames: ['contract', 'model'],
      registers,
    });
    this.embeddingStatistic = new Gauge({
      name: 'earshot_embedding_drift_statistic',
      help: 'Embedding drift at the last evaluation, by statistic: mmd2, p_value (permutation test), cosine_distance (of the window means), drifted_share (of components).',
      labelNames: ['contract', 'attribute', 'statistic'],
      registers,
    });
    this.embeddingDrift = new Gauge({
      name: 'earshot_embedding_drift',
      help: '1 while embeddings drift over k of the last n evaluations (an embedding_drift finding), else 0.',
      labelNames: ['contract', 'attribute'],
      registers,
    });
    this.experiments = new ExperimentMetrics(this.registry);
    this.contractsLoaded = new Gauge({
      name: 'earshot_contract_versions',
      help: 'Contract versions in the registry.',
      registers,
    });
    const buildInfo = new Gauge({
      name: 'earshot_build_info',
      help: 'Build information; always 1.',
      labelNames: ['version', 'node_version'],
      registers,
    });
    buildInfo.set({ version: opts.version, node_version: process.version }, 1);
    for (const outcome of ['ok', 'spooled', 'failed']) this.storeWrites.inc({ outcome }, 0);
    for (const source of SOURCES) {
      this.batchDuration.zero({ source });
      this.batchSize.zero({ source });
    }
    for (const outcome of EVENT_OUTCOMES)
      this.events.inc({ contract: UNKNOWN_LABEL, version: UNKNOWN_LABEL, outcome }, 0);
    if (opts.collectProcess !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Where the store gauges read their values at scrape time. */
  probeStore(probe: () => StoreReading): void {
    this.storeProbe = probe;
  }

  probeConsent(probe: () => ConsentReading): void {
    this.consentProbe = probe;
  }

  /** Declares the policy's purposes, each violation kind starting at 0 per purpose. */
  declareConsentPurposes(purposes: readonly string[], kinds: readonly FindingKind[]): void {
    for (const purpose of purposes) {
      this.knownPurposes.add(purpose);
      for (const kind of kinds) this.consentViolations.inc({ purpose, kind }, 0);
    }
  }

  /** Counts a consent finding under its purpose, when the policy declared it. */
  countConsentViolation(f: Finding): void {
    const p = f.evidence.purpose;
    const purpose = typeof p === 'string' && this.knownPurposes.has(p) ? p : UNKNOWN_LABEL;
    this.consentViolations.inc({ purpose, kind: f.kind });
  }

  /** Declares the contracts and versions traffic may be counted under, each outcome starting at 0. */
  declareContracts(pairs: Array<{ contract: string; version: string }>): void {
    for (const { contract, version } of pairs) {
      let versions = this.knownContracts.get(contract);
      if (!versions) {
        versions = new Set([UNKNOWN_LABEL]);
        this.knownContracts.set(contract, versions);
        for (const entity of PII_ENTITIES) this.piiEntities.inc({ contract, entity }, 0);
        for (const outcome of EVENT_OUTCOMES)
          this.events.inc({ contract, version: UNKNOWN_LABEL, outcome }, 0);
      }
      if (versions.has(version)) continue;
      versions.add(version);
      for (const outcome of EVENT_OUTCOMES) this.events.inc({ contract, version, outcome }, 0);
    }
    let n = 0;
    for (const v of this.knownContracts.values()) n += v.size - 1;
    this.contractsLoaded.set(n);
  }

  /** Declares what detectors can report, each series starting at 0. */
  declareFindings(detector: string, kinds: ReadonlyArray<{ kind: FindingKind; severity: Severity }>): void {
    for (const { kind, severity } of kinds) this.findings.inc({ detector, kind, severity }, 0);
  }

  /** Counts the entities of a `pii_leak` finding (entity names come from the engine's fixed list). */
  countPiiLeak(f: Finding): void {
    const entities = f.evidence.entities;
    if (!Array.isArray(entities)) return;
    const { contract } = this.contractLabels(f.contract, null);
    for (const e of entities) {
      const entity = (e as { entity?: unknown }).entity;
      if (typeof entity === 'string' && isPiiEntity(entity)) this.piiEntities.inc({ contract, entity });
    }
  }

  /** Label values for an event's contract: only names the registry declared, else UNKNOWN_LABEL. */
  contractLabels(contract: string | null, version: string | null): { contract: string; version: string } {
    const versions = contract === null ? undefined : this.knownContracts.get(contract);
    if (!versions) return { contract: UNKNOWN_LABEL, version: UNKNOWN_LABEL };
    return {
      contract: contract!,
      version: version !== null && versions.has(version) ? version : UNKNOWN_LABEL,
    };
  }
}
