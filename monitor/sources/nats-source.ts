import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { BatchItem } from '../pipeline/parse-body.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { WriteOutcome } from '../store/durable/durable-writer.js';
import { storableText } from '../store/sanitize.js';
import type { Store } from '../store/store.js';
import type { JetStreamPull, PulledMessage } from './jetstream-pull.js';

export interface NatsSourceOptions {
  /** Messages per fetch, and so per write unit and per ack round. */
  batch: number;
  /** How long a fetch waits for its batch to fill. */
  fetchExpiresMs: number;
  /** The envelope field that holds the event id (config envelope.event_id). */
  eventIdField: string;
  /** Tells JetStream a batch is still being written this often, so it is not redelivered meanwhile. */
  workingEveryMs: number;
}

/** What the source needs of the app: the pipeline, one flush that marks events, and the processed-event lookup. */
export interface NatsSourceDeps {
  pull: Pick<JetStreamPull, 'fetch' | 'ackAll' | 'close'>;
  pipeline: Pick<Pipeline, 'prepare' | 'processBatch'>;
  /** Marks events processed in the next unit taken (before they are checked), and flushes. */
  markProcessed(eventIds: readonly string[]): void;
  flush(): Promise<WriteOutcome | null>;
  store: Pick<Store, 'processedEvents'>;
  logger: Logger;
  /** Why ingest should wait (the spool or a write queue near full), or null; the stream holds the messages meanwhile. */
  backlog?: () => string | null;
  /** Counts messages by what became of them. */
  count(outcome: 'checked' | 'duplicate' | 'deferred' | 'redelivered', n: number): void;
}

const MAX_BACKOFF_MS = 10_000;
/** Event ids this process wrote lately, checked besides the store: those still in the spool are not in it yet. */
const RECENT_IDS = 200_000;

/**
 * Checks conversation events taken from a JetStream stream, exactly once.
 *
 * Each fetched batch is checked by the pipeline as an HTTP batch is, then its
 * results are written in one unit that also records the batch's event ids
 * (processed_events), and only then are the messages acked. A process that
 * dies before the ack leaves messages JetStream hands out again, to this
 * replica or another; their ids are found in the store (or, on this replica,
 * among the ids it wrote lately, which covers those still in its spool) and
 * they are acked without being checked again. A process that dies before the write leaves
 * nothing stored, and the redelivered events are checked from scratch.
 *
 * An event is known by its event_id; one without a usable id (not JSON, no id)
 * by a hash of its bytes, which is stable across redeliveries.
 *
 * While the store cannot be read, first deliveries still go on (the spool
 * takes their results), but redeliveries wait (nak with a delay): whether they
 * were already counted can only be answered by the store.
 */
export class NatsSource {
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  /** Insertion-ordered, so the oldest go first. */
  private readonly recent = new Set<string>();

  constructor(
    private readonly deps: NatsSourceDeps,
    private readonly opts: NatsSourceOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Stops fetching; the batch under way is checked, written and acked first. Then closes the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    await this.deps.pull.close();
  }

  private async loop(): Promise<void> {
    let backoff = 250;
    let waiting = false;
    while (!this.stopping) {
      // As HTTP answers 503: nothing is taken while the store is far behind; the stream keeps it.
      const backlog = this.deps.backlog?.() ?? null;
      if (backlog) {
        if (!waiting) this.deps.logger.warn({ backlog }, 'not fetching from NATS until the store catches up');
        waiting = true;
        await this.sleep(1000);
        continue;
      }
      waiting = false;
      let messages: PulledMessage[];
      try {
        messages = await this.deps.pull.fetch(this.opts.batch, this.opts.fetchExpiresMs);
        backoff = 250;
      } catch (err) {
        if (this.stopping) break;
        this.deps.logger.warn({ err }, 'fetching from NATS failed; trying again');
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      if (messages.length === 0) continue;
      // From fetch to ack, JetStream hears the batch is in hand: a slow store read or write must
      // not let ack_wait pass and the batch go to another replica while this one still counts it.
      const heartbeat = setInterval(() => {
        for (const m of messages) safe(() => m.working());
      }, this.opts.workingEveryMs);
      try {
        await this.handle(messages);
      } catch (err) {
        // Not expected: the pipeline answers bad events with findings. The batch comes again.
        this.deps.logger.error({ err }, 'a NATS batch failed unexpectedly; redelivering it');
        for (const m of messages) safe(() => m.nak(5000));
      } finally {
        clearInterval(heartbeat);
      }
    }
  }

  /** One batch: skip what is already stored, check the rest, write, ack. Never throws. */
  private async handle(batch: PulledMessage[]): Promise<void> {
    const again = batch.filter((m) => m.deliveryCount > 1).length;
    if (again > 0) this.deps.count('redelivered', again);
    let messages = batch;
    let ids = messages.map((m) => this.keyOf(m));
    let known: Set<string>;
    try {
      known = await this.deps.store.processedEvents(ids.map((k) => k.id));
    } catch (err) {
      // Without the store, a redelivery cannot be told from new: it waits; first deliveries go on.
      this.deps.logger.warn({ err }, 'the store cannot say which events are processed; redeliveries wait');
      known = new Set();
      if (again > 0) {
        const waiting = messages.filter((m) => m.deliveryCount > 1);
        for (const m of waiting) safe(() => m.nak(5000));
        this.deps.count('deferred', waiting.length);
        ids = ids.filter((_, i) => messages[i]!.deliveryCount === 1);
        messages = messages.filter((m) => m.deliveryCount === 1);
        if (messages.length === 0) return;
      }
    }
    const seen = new Set<string>();
    const fresh: Array<{ message: PulledMessage; item: BatchItem; id: string }> = [];
    const skipped: PulledMessage[] = [];
    messages.forEach((message, i) => {
      const { id, item } = ids[i]!;
      // A repeat inside the batch (a producer's retry) counts once too.
      if (known.has(id) || this.recent.has(id) || seen.has(id)) skipped.push(message);
      else {
        seen.add(id);
        fresh.push({ message, item, id });
      }
    });
    if (skipped.length > 0) this.deps.count('duplicate', skipped.length);

    const items = fresh.map((f) => f.item);
    try {
      await this.deps.pipeline.prepare(items);
    } catch (err) {
      // The consent ledger could not read the batch's users: nothing was checked; all of it comes again.
      this.deps.logger.warn(
        { err },
        'the batch could not be prepared: the store is unreachable; redelivering',
      );
      for (const m of messages) safe(() => m.nak(5000));
      this.deps.count('deferred', messages.length);
      return;
    }
    // Marked first: whichever flush takes these events' results takes their ids with them.
    this.deps.markProcessed(fresh.map((f) => f.id));
    if (items.length > 0) this.deps.pipeline.processBatch(items, { source: 'nats' });
    const written = await this.writeUntilDone();
    // Stopped before the write went through: unacked, the messages go to another replica.
    if (!written) return;
    this.remember(fresh.map((f) => f.id));
    this.deps.count('checked', fresh.length);
    try {
      await this.deps.pull.ackAll(messages);
    } catch (err) {
      // They come again and are recognised by their ids: nothing is counted twice.
      this.deps.logger.warn({ err }, 'acks not confirmed; the messages will be redelivered and skipped');
    }
  }

  /**
   * The batch's results and ids, stored or spooled, before any ack. A write
   * that fails is held by the flusher and tried again here; meanwhile the
   * heartbeat keeps the messages from redelivery. False when stopped first.
   */
  private async writeUntilDone(): Promise<boolean> {
    let backoff = 250;
    let first = true;
    for (;;) {
      try {
        await this.deps.flush();
        return true;
      } catch (err) {
        if (this.stopping) return false;
        if (first)
          this.deps.logger.error({ err }, 'writing a NATS batch failed; holding its acks and retrying');
        first = false;
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private remember(ids: readonly string[]): void {
    for (const id of ids) this.recent.add(id);
    if (this.recent.size <= RECENT_IDS) return;
    let over = this.recent.size - RECENT_IDS;
    for (const id of this.recent) {
      if (over-- <= 0) break;
      this.recent.delete(id);
    }
  }

  private keyOf(m: PulledMessage): { id: string; item: BatchItem } {
    let item: BatchItem;
    try {
      item = { ok: true, value: JSON.parse(Buffer.from(m.data).toString('utf8')) };
    } catch {
      item = { ok: false, reason: `message ${m.streamSequence} is not valid JSON` };
    }
    const value = item.ok ? item.value : null;
    const raw =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)[this.opts.eventIdField]
        : undefined;
    // Without an id, the bytes: the same in every redelivery, and a stream recreated from zero cannot collide.
    // As the store keeps it (NUL and lone surrogates replaced), so the processed lookup matches.
    const id =
      typeof raw === 'string' && raw.length > 0 && raw.length <= 256
        ? storableText(raw)
        : `nats-body:${createHash('sha256').update(m.data).digest('hex')}`;
    return { id, item };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Acks and naks throw once the connection is closed; the message then simply comes again. */
function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // Redelivery covers it.
  }
}
