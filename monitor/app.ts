import { type BuiltDetectors, buildDetectors } from '../detectors/build-detectors.js';
import { CONSENT_VIOLATION_KINDS } from '../detectors/consent/consent-detector.js';
import type { ExperimentView } from '../detectors/holdout/holdout-detector.js';
import { type ExperimentProblem, parseExperiment } from '../detectors/holdout/parse-experiment.js';
import type { Config } from './config/config.js';
import { PACKAGE_VERSION } from './config/package-version.js';
import { setHashSalt } from './findings/safe-token.js';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics/metrics.js';
import { registerNatsMetrics } from './metrics/nats-metrics.js';
import { registerSpoolMetrics } from './metrics/spool-metrics.js';
import { Pipeline } from './pipeline/pipeline.js';
import type { CompatibilityReport } from './registry/compatibility.js';
import type { Contract } from './registry/contract.js';
import { loadRegistry } from './registry/load-registry.js';
import type { ContractRegistry } from './registry/registry.js';
import { JetStreamPull } from './sources/jetstream-pull.js';
import { NatsSource } from './sources/nats-source.js';
import { ConsentWriter } from './store/consent-writer.js';
import { contentHash } from './store/contract-hash.js';
import { DurableWriter } from './store/durable/durable-writer.js';
import { openSpool } from './store/durable/open-spool.js';
import type { Spool } from './store/durable/spool.js';
import { StoreFlusher } from './store/durable/store-flusher.js';
import { FindingWriter } from './store/finding-writer.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** Everything a running earshot holds: built once, shared by the HTTP server, the CLI and the tests. */
export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly registry: ContractRegistry;
  readonly metrics: Metrics;
  readonly store: Store;
  /** Folds findings into aggregates until a flush takes them. */
  readonly writer: FindingWriter;
  /** Holds consent records and checks until a flush takes them. */
  readonly consentWriter: ConsentWriter;
  /** Writes what the writers hold, in units, to the store or the spool. */
  readonly flusher: StoreFlusher;
  /** The store or, while it fails, the spool; exactly once. */
  readonly durable: DurableWriter;
  readonly pipeline: Pipeline;
  readonly detectors: BuiltDetectors;
  /** Adds a version through the API: refused when it breaks its declared compatibility; recorded in the store. */
  publishContract(contract: Contract): Promise<CompatibilityReport>;
  /**
   * Adds an experiment through the API and keeps its definition in the
   * store. The same definition again is not an error (`created: false`);
   * another one under a used id is a conflict.
   */
  addExperiment(section: unknown): Promise<AddExperimentResult>;
  /** Removes an experiment added through the API, with its units; false when there is none by that id. */
  removeExperiment(id: string): Promise<'removed' | 'not_found' | 'config'>;
  /**
   * Why ingest should wait, or null: the spool at 80% of its limit, or a
   * write queue (findings, consent checks) at 80% of `store.maxQueue`, as
   * when the store has been unreachable for a while and there is no spool.
   * Refusing then, rather than accepting events whose findings would be
   * dropped, is what keeps everything accepted.
   */
  backlog(): string | null;
  /** Runs the windowed detectors now and refreshes the gauges. */
  evaluate(now?: Date): void;
  start(): Promise<void>;
  /** Stops timers, evaluates once more, flushes the store and closes it. Safe twice and before start. */
  stop(): Promise<void>;
}

/** How often old unit and stream event ids are deleted. */
const PRUNE_EVERY_MS = 5 * 60_000;

/** Share of store.maxQueue at which ingest answers 503 instead of risking dropped findings. */
const BACKLOG_SHARE = 0.8;

/** Experiments run at most, config file and API together: each costs memory and metric series. */
export const MAX_EXPERIMENTS = 100;

export type AddExperimentResult =
  | { ok: true; created: boolean; experiment: ExperimentView }
  | { ok: false; reason: 'invalid'; errors: string[]; problems: ExperimentProblem[] }
  | { ok: false; reason: 'conflict'; message: string };

export interface AppOptions {
  logger?: Logger;
  /** An already-open store (tests); otherwise one is opened from config.store. */
  store?: Store;
  /** Count process metrics (off in tests that build many apps). */
  processMetrics?: boolean;
}

export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const logger = opts.logger ?? createLogger(config.log.level);
  if (config.privacy.hashSalt) setHashSalt(config.privacy.hashSalt);
  else logger.warn('privacy.hashSalt is not set: hashes in findings change on every restart');

  const registry = await loadRegistry(config.contracts.dir, logger);

  const store =
    opts.store ?? (await openStore({ url: config.store.url ?? undefined, dataDir: config.store.dataDir }));
  // Recorded as 'file' so a version whose file is deleted does not come back from the store on restart.
  for (const name of registry.names()) {
    for (const c of registry.versions(name)) await store.recordContractVersion(c, 'file');
  }
  // Versions published through the API, and lifecycle moves (a status change) of file versions too.
  for (const contract of await store.publishedContracts()) {
    try {
      registry.add(contract, { enforceCompatibility: false });
    } catch (err) {
      logger.warn(
        { contract: contract.contract, version: contract.version, err },
        'published contract not loaded',
      );
    }
  }

  const metrics = new Metrics({ version: PACKAGE_VERSION, collectProcess: opts.processMetrics !== false });
  const writer = new FindingWriter({
    windowMs: config.store.windowSeconds * 1000,
    maxQueue: config.store.maxQueue,
  });
  const consentWriter = new ConsentWriter(store.consent, { maxQueue: config.store.maxQueue });
  let spool: Spool | null;
  try {
    spool = await openSpool(config.store, logger);
  } catch (err) {
    if (!opts.store) await store.close();
    throw err;
  }
  const durable = new DurableWriter(store, {
    spool,
    onReplayError: (err) =>
      logger.error({ err }, 'the store does not take the spooled units yet; retrying with backoff'),
    onReplayed: (units) => logger.info({ units }, 'the spool is replayed into the store'),
    onStored: (unit) => consentWriter.stored(unit.records),
  });
  const flusher = new StoreFlusher(writer, consentWriter, durable, {
    flushIntervalMs: config.store.flushIntervalMs,
    onFlush: (report) => {
      // A duplicate is a unit the store already had: as good as stored.
      const stored = report.outcome === 'stored' || report.outcome === 'duplicate';
      metrics.storeWrites.inc({ outcome: stored ? 'ok' : report.outcome });
      if (report.outcome === 'failed') {
        logger.error(
          { err: report.error, rows: report.rows },
          spool
            ? 'store and spool writes failed; rows kept for the next flush'
            : 'store write failed; rows kept for the next flush',
        );
      } else if (report.outcome === 'spooled' && !spooling) {
        logger.warn({ spool: spool?.dir }, 'the store does not take writes; spooling them to disk');
      }
      spooling = report.outcome === 'spooled';
    },
  });
  let spooling = false;
  metrics.probeStore(() => ({
    queueDepth: writer.queueDepth() + flusher.heldRows().findings,
    lagSeconds: Math.max(writer.lagSeconds(), flusher.heldRows().lagSeconds),
    dropped: writer.dropped() + durable.dropped().findings,
  }));
  if (spool) {
    const limit = config.store.spool.maxBytes;
    registerSpoolMetrics(metrics.registry, () => {
      const { bytes, units } = spool.stats();
      const counts = durable.counts();
      const dropped = durable.dropped();
      return {
        bytes,
        units,
        maxBytes: limit,
        spooled: counts.spooled,
        replayed: counts.replayed,
        droppedRecords: dropped.records,
        droppedChecks: dropped.checks,
      };
    });
  }
  const detectors = buildDetectors(config, {
    consentBacking: consentWriter.backing,
    consentSinks: consentWriter,
  });
  consentWriter.attach(detectors.ledger);
  // Consent records an earlier run left in the spool count for their users before they are replayed.
  await spool?.forEachWaiting((unit) => consentWriter.unstored(unit.records));
  metrics.probeConsent(() => detectors.ledger.stats());
  if (config.detectors.consent.enabled) {
    metrics.declareConsentPurposes(Object.keys(config.detectors.consent.purposes), CONSENT_VIOLATION_KINDS);
  }
  for (const e of config.experiments) detectors.holdout.define(e.config, e.section, 'config');
  const configExperiments = new Set(config.experiments.map((e) => e.config.id));
  for (const stored of await store.experiments.list()) {
    const parsed = parseExperiment(stored.definition);
    if (configExperiments.has(stored.id)) {
      logger.warn(
        { experiment: stored.id },
        'experiment is in the config file and the store; the config file wins',
      );
    } else if (!parsed.ok) {
      logger.warn({ experiment: stored.id, errors: parsed.errors }, 'stored experiment not loaded');
    } else if (detectors.holdout.list().length >= MAX_EXPERIMENTS) {
      logger.warn(
        { experiment: stored.id },
        `stored experiment not loaded: ${MAX_EXPERIMENTS} experiments already run`,
      );
    } else {
      detectors.holdout.define(parsed.config, parsed.section, 'api');
    }
  }
  const pipeline = new Pipeline({
    registry,
    detectors: detectors.all,
    redactor: detectors.redactor,
    piiAnalyzer: detectors.analyzer,
    metrics,
    sinks: [writer],
    envelope: config.envelope,
    limits: config.limits,
  });

  /** Adding and removing experiments one at a time: each checks the detector, then awaits the store. */
  let experimentChanges: Promise<unknown> = Promise.resolve();
  const serially = <T>(change: () => Promise<T>): Promise<T> => {
    const run = experimentChanges.then(change, change);
    experimentChanges = run.catch(() => undefined);
    return run;
  };

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let nats: NatsSource | null = null;
  /** Connects to the stream and starts taking events; a wrong stream or server fails the start, loudly. */
  const startNats = async () => {
    const c = config.sources.nats;
    if (!c.enabled) return;
    const pull = await JetStreamPull.connect({
      servers: c.servers,
      stream: c.stream,
      subject: c.subject,
      consumer: c.consumer,
      createStream: c.createStream,
      ackWaitMs: c.ackWaitSeconds * 1000,
      maxDeliver: c.maxDeliver,
      name: `earshot-${process.pid}`,
    });
    const count = registerNatsMetrics(metrics.registry, () => pull.info());
    nats = new NatsSource(
      {
        pull,
        pipeline,
        markProcessed: (ids) => flusher.markProcessed(ids),
        flush: () => flusher.flush(),
        store,
        logger,
        count,
        // The stream is the buffer while the store is away: a batch acked on the strength of a
        // spool would sit in this replica's spool, out of sight of the others' redelivery checks.
        backlog: () =>
          app.backlog() ?? (spool && !spool.isEmpty() ? 'units wait in the spool for the store' : null),
      },
      {
        batch: c.batch,
        fetchExpiresMs: c.fetchExpiresMs,
        eventIdField: config.envelope.event_id,
        // Well inside ack_wait, so a batch being written is never handed to another replica.
        workingEveryMs: Math.max(500, (c.ackWaitSeconds * 1000) / 3),
      },
    );
    nats.start();
    logger.info({ stream: c.stream, consumer: c.consumer }, 'taking events from NATS JetStream');
  };
  let lastPrune = 0;
  /**
   * Unit ids and stream event ids are needed only while a replay or a
   * redelivery can come. Stream event ids pile up fast (one per event), so
   * they go every few minutes, in small deletes rather than one large one.
   */
  const pruneWriteLog = () => {
    if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    store
      .pruneWriteLog({
        unitHours: config.store.writeLogHours,
        eventMinutes: config.sources.nats.dedupMinutes,
      })
      .catch((err) => logger.warn({ err }, 'pruning old write ids failed; tried again later'));
  };
  let lastSnapshot = Date.now();
  /** Saved state is only overwritten by an app that read it first (a stop without a start keeps it). */
  let restoredState = false;
  let snapshotting: Promise<void> = Promise.resolve();

  /** Writes every windowed detector's state to the store; a failure is logged and the next save tries again. */
  const saveSnapshots = (): Promise<void> => {
    snapshotting = snapshotting.then(async () => {
      for (const d of detectors.all) {
        if (!d.snapshot) continue;
        try {
          await store.monitors.save(d.name, d.snapshot());
        } catch (err) {
          logger.error({ err, detector: d.name }, 'saving the monitor state failed; kept in memory');
        }
      }
    });
    return snapshotting;
  };

  // Calibration monitors start before their contract's first event, so a label arriving first is held, not missed.
  const watchLatest = (name: string) => {
    const r = registry.resolve(name, null);
    if (r.ok) detectors.calibration.watch(r.resolved);
  };
  for (const name of registry.names()) watchLatest(name);

  const evaluate = (now?: Date) => {
    pipeline.evaluate(now);
    for (const r of detectors.completeness.readings()) {
      metrics.completeness.set({ contract: r.contract, version: r.version, attribute: r.attribute }, r.share);
    }
    // A monitor back to collecting (traffic stopped, or too few events) no longer drifts.
    for (const s of detectors.distribution.states()) {
      if (s.state === 'collecting')
        metrics.distributionDrift.set({ contract: s.contract, attribute: s.attribute }, 0);
    }
    for (const s of detectors.embedding.states()) {
      if (s.state === 'collecting')
        metrics.embeddingDrift.set({ contract: s.contract, attribute: s.attribute }, 0);
    }
    for (const r of detectors.distribution.readings()) {
      const labels = { contract: r.contract, attribute: r.attribute };
      const set = (statistic: string, value: number) =>
        metrics.distributionStatistic.set({ ...labels, statistic }, value);
      set(r.test, r.statistic);
      set('p_value', r.pValue);
      set('p_adjusted', r.pAdjusted);
      set(r.effect.name, r.effect.value);
      set('psi', r.psi.value);
      metrics.distributionDrift.set(labels, r.firing ? 1 : 0);
    }
    // Model names come from traffic: the detector keeps at most ten per contract (the rest as "other"),
    // each through safeToken, so the label set stays small and holds no raw input.
    for (const r of detectors.calibration.readings()) {
      const labels = { contract: r.contract, model: r.model };
      const set = (statistic: string, value: number | null) => {
        if (value !== null) metrics.calibrationStatistic.set({ ...labels, statistic }, value);
      };
      set('ece', r.ece);
      set('mce', r.mce);
      set('brier', r.brier);
      set('accuracy', r.accuracy);
      set('expected_accuracy', r.expectedAccuracy);
      set('reference_ece', r.referenceEce);
      set('ece_delta_lower', r.eceDelta?.lower ?? null);
      for (const row of r.diagram) {
        const bin = String(row.upper);
        metrics.calibrationReliability.set({ ...labels, bin, quantity: 'accuracy' }, row.accuracy);
        metrics.calibrationReliability.set({ ...labels, bin, quantity: 'confidence' }, row.meanConfidence);
        metrics.calibrationReliability.set({ ...labels, bin, quantity: 'count' }, row.count);
      }
      metrics.calibrationDrift.set(labels, r.firing ? 1 : 0);
    }
    metrics.experiments.publish(detectors.holdout.readings(), detectors.holdout.unknownExperimentExposures);
    for (const r of detectors.embedding.readings()) {
      const labels = { contract: r.contract, attribute: r.attribute };
      const set = (statistic: string, value: number | null) => {
        if (value !== null) metrics.embeddingStatistic.set({ ...labels, statistic }, value);
      };
      set('mmd2', r.mmd2);
      set('p_value', r.pValue);
      set('cosine_distance', r.meanCosineDistance);
      set('drifted_share', r.driftedShare);
      metrics.embeddingDrift.set(labels, r.firing ? 1 : 0);
    }
  };

  const app: App = {
    config,
    logger,
    registry,
    metrics,
    store,
    writer,
    consentWriter,
    flusher,
    durable,
    pipeline,
    detectors,
    async publishContract(contract) {
      const report = registry.add(contract);
      await store.recordContractVersion(contract, 'api');
      pipeline.refreshContracts();
      watchLatest(contract.contract);
      return report;
    },
    addExperiment(section) {
      return serially(async (): Promise<AddExperimentResult> => {
        const parsed = parseExperiment(section);
        if (!parsed.ok)
          return { ok: false, reason: 'invalid', errors: parsed.errors, problems: parsed.problems };
        const id = parsed.config.id;
        const existing = detectors.holdout.get(id);
        if (existing) {
          if (contentHash(existing.definition) === contentHash(parsed.section)) {
            return { ok: true, created: false, experiment: existing };
          }
          const where = existing.source === 'config' ? 'in the config file' : 'through the API';
          return {
            ok: false,
            reason: 'conflict',
            message: `experiment ${id} is already defined ${where} with another definition; a running experiment is not redefined (remove it first, or use a new id)`,
          };
        }
        if (detectors.holdout.list().length >= MAX_EXPERIMENTS) {
          return {
            ok: false,
            reason: 'conflict',
            message: `${MAX_EXPERIMENTS} experiments are defined, the most earshot runs at once; remove one first`,
          };
        }
        if (!(await store.experiments.add(id, parsed.section))) {
          return {
            ok: false,
            reason: 'conflict',
            message: `experiment ${id} is in the store but could not be loaded at start; remove it first`,
          };
        }
        detectors.holdout.define(parsed.config, parsed.section, 'api');
        return { ok: true, created: true, experiment: detectors.holdout.get(id)! };
      });
    },
    removeExperiment(id) {
      return serially(async () => {
        const existing = detectors.holdout.get(id);
        if (existing?.source === 'config') return 'config' as const;
        const stored = await store.experiments.remove(id);
        const removed = detectors.holdout.remove(id);
        metrics.experiments.forget(id);
        return stored || removed ? ('removed' as const) : ('not_found' as const);
      });
    },
    backlog() {
      if (spool?.nearlyFull(BACKLOG_SHARE)) {
        const { bytes } = spool.stats();
        return `the store is not keeping up: the spool holds ${bytes} bytes, near its limit of ${config.store.spool.maxBytes}`;
      }
      const limit = Math.floor(config.store.maxQueue * BACKLOG_SHARE);
      const held = flusher.heldRows();
      const findings = writer.queueDepth() + held.findings;
      const checks = consentWriter.queueDepth() + held.checks;
      if (findings < limit && checks < limit) return null;
      return `the store is not keeping up: ${findings} finding rows and ${checks} consent checks wait to be written`;
    },
    evaluate,
    async start() {
      if (timer || stopped) return;
      // Windows, references and gates from before a restart, before any event arrives.
      for (const d of detectors.all) {
        if (!d.restore) continue;
        try {
          d.restore(await store.monitors.load(d.name));
        } catch (err) {
          logger.error(
            { err, detector: d.name },
            'reading the monitor state failed; its windows start empty',
          );
        }
      }
      restoredState = true;
      await pipeline.start();
      durable.start();
      flusher.start();
      pruneWriteLog();
      await startNats();
      timer = setInterval(() => {
        try {
          evaluate();
        } catch (err) {
          logger.error({ err }, 'evaluation failed');
        }
        pruneWriteLog();
        if (Date.now() - lastSnapshot >= config.snapshotIntervalSeconds * 1000) {
          lastSnapshot = Date.now();
          void saveSnapshots();
        }
      }, config.evaluateIntervalSeconds * 1000);
      timer.unref();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      // Each step runs even when one before it failed: the last flush above all.
      const step = async (what: string, run: () => unknown) => {
        try {
          await run();
        } catch (err) {
          logger.error({ err }, `stopping: ${what} failed`);
        }
      };
      // The batch under way is checked, written and acked; nothing more is fetched.
      await step('the NATS source', () => nats?.stop());
      await step('the last evaluation', () => evaluate());
      if (restoredState) await step('saving the monitor state', saveSnapshots);
      await step('the pipeline', () => pipeline.stop());
      // What is held goes to the store or the spool; a spool not yet replayed waits for the next start.
      await step('the last flush (rows held in memory are lost)', () => flusher.stop());
      await step('the spool replay', () => durable.stop());
      await step('closing the spool', () => spool?.close());
      await store.close();
    },
  };
  return app;
}
