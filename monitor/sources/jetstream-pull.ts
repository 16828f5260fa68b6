// Conversation events come from a JetStream stream through one durable pull consumer that every
// replica binds to: the server hands each message to one puller and redelivers it, to any of them,
// when no ack arrives within ack_wait. Delivery is at least once, so the caller must tolerate repeats
// (deliveryCount > 1) and should ack only after its own write is durable.
import {
  AckPolicy,
  type Consumer,
  type ConsumerConfig,
  type ConsumerInfo,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface JetStreamPullOptions {
  servers: string | string[];
  stream: string;
  /** Filter subject of the consumer, e.g. 'events.>'; also the stream's only subject when it is created. */
  subject: string;
  /** Durable consumer name: every replica uses the same one, so they share the messages. */
  consumer: string;
  /** Create the stream (file storage) when missing. Off by default so a typo cannot start an empty stream. */
  createStream?: boolean;
  /** How long a delivered message may stay un-acked before the server hands it out again (default 30000). */
  ackWaitMs?: number;
  /** Deliveries before the server gives up on a message (default -1: never). */
  maxDeliver?: number;
  /** Connection name, shown in the server's connection list. */
  name?: string;
}

export interface PulledMessage {
  readonly data: Uint8Array;
  readonly subject: string;
  /** 1 on first delivery; more means an earlier holder did not ack within ack_wait, or nak'd. */
  readonly deliveryCount: number;
  readonly streamSequence: number;
  /**
   * These four are fire and forget: a lost ack means the message comes again (ackAll() confirms).
   * They throw when the connection is closed.
   */
  ack(): void;
  nak(delayMs?: number): void;
  /** Restarts this message's ack_wait, for batches that take longer to write than ack_wait. */
  working(): void;
  term(): void;
}

/** The client refuses pull requests that expire sooner (InvalidArgumentError). */
export const MIN_FETCH_EXPIRES_MS = 1000;
/** drain() waits for the server's reply to a flush; bounded so close() cannot hang on a dead link. */
const DRAIN_TIMEOUT_MS = 5000;
/** JetStream API error code for "consumer already exists" with another config (servers >= 2.10). */
const CONSUMER_EXISTS = 10148;
const MS_TO_NANOS = 1_000_000;

class Pulled implements PulledMessage {
  readonly #msg: JsMsg;
  constructor(msg: JsMsg) {
    this.#msg = msg;
  }
  get data(): Uint8Array {
    return this.#msg.data;
  }
  get subject(): string {
    return this.#msg.subject;
  }
  get deliveryCount(): number {
    return this.#msg.info.deliveryCount;
  }
  get streamSequence(): number {
    return this.#msg.seq;
  }
  ack(): void {
    this.#msg.ack();
  }
  nak(delayMs?: number): void {
    this.#msg.nak(delayMs);
  }
  working(): void {
    this.#msg.working();
  }
  term(): void {
    this.#msg.term();
  }
  static async confirmAck(m: PulledMessage): Promise<void> {
    if (!(m instanceof Pulled)) throw new TypeError('ackAll() takes messages returned by fetch()');
    // ackAck() resolves false, without sending anything, when the message was already
    // acked, nak'd or termed: its fate is then not confirmed, which the caller must hear.
    if (!(await m.#msg.ackAck())) {
      throw new Error(`message ${m.streamSequence} was already acked, nak'd or termed`);
    }
  }
}

export class JetStreamPull {
  readonly #nc: NatsConnection;
  readonly #jsm: JetStreamManager;
  readonly #consumer: Consumer;
  readonly #stream: string;
  readonly #consumerName: string;
  readonly #label: string;
  #connected = true;
  /** Stops of fetches in flight: the client would let them hang through a reconnect, or end them empty. */
  readonly #inflight = new Set<(err: Error) => void>();
  #closing: Promise<void> | undefined;

  private constructor(
    nc: NatsConnection,
    jsm: JetStreamManager,
    consumer: Consumer,
    opts: JetStreamPullOptions,
  ) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#consumer = consumer;
    this.#stream = opts.stream;
    this.#consumerName = opts.consumer;
    this.#label = `stream "${opts.stream}" consumer "${opts.consumer}"`;
    void this.#watchConnection();
  }

  static async connect(opts: JetStreamPullOptions): Promise<JetStreamPull> {
    // Reconnect forever: a NATS restart then costs the fetches in flight, not the process.
    const nc = await connect({ servers: opts.servers, name: opts.name, maxReconnectAttempts: -1 });
    try {
      const jsm = await jetstreamManager(nc);
      await ensureStream(jsm, opts);
      await ensureConsumer(jsm, opts);
      const consumer = await jetstream(nc).consumers.get(opts.stream, opts.consumer);
      return new JetStreamPull(nc, jsm, consumer, opts);
    } catch (err) {
      // An open connection would keep the process alive after a failed start.
      await nc.close();
      throw err;
    }
  }

  /**
   * Up to `max` messages. The pull stays open until `max` arrived or `expiresMs` passed
   * (clamped to at least MIN_FETCH_EXPIRES_MS), so a half-full batch costs the whole wait;
   * [] when none came. Rejects, never ends empty, when the connection drops or closes meanwhile:
   * the messages of that batch come again after ack_wait.
   */
  async fetch(max: number, expiresMs: number): Promise<PulledMessage[]> {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`fetch max must be a positive integer, got ${max}`);
    if (Number.isNaN(expiresMs)) throw new RangeError('fetch expiresMs is NaN');
    if (this.#closing || this.#nc.isClosed()) throw new Error(`fetch from ${this.#label}: closed`);
    if (!this.#connected) throw new Error(`fetch from ${this.#label}: not connected to NATS, reconnecting`);
    let lost: Error | undefined;
    const messages: PulledMessage[] = [];
    try {
      const iter = await this.#consumer.fetch({
        max_messages: max,
        expires: Math.max(MIN_FETCH_EXPIRES_MS, expiresMs),
      });
      const stop = (err: Error) => {
        lost = err;
        iter.stop(err);
      };
      this.#inflight.add(stop);
      try {
        for await (const m of iter) messages.push(new Pulled(m));
      } finally {
        this.#inflight.delete(stop);
      }
    } catch (err) {
      // Library errors ("heartbeats missed" when the stream or consumer is deleted, 409s) name no consumer.
      throw new Error(`fetch from ${this.#label} failed: ${errorMessage(lost ?? err)}`, { cause: err });
    }
    // On close the client ends the fetch as if it had expired.
    if (this.#nc.isClosed() || this.#nc.isDraining()) {
      throw new Error(`fetch from ${this.#label} failed: connection closed`);
    }
    return messages;
  }

  /** Acks all of them concurrently and resolves once the server confirmed every ack. */
  async ackAll(messages: readonly PulledMessage[]): Promise<void> {
    const results = await Promise.allSettled(messages.map((m) => Pulled.confirmAck(m)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      const first = failed[0]!.reason;
      throw new Error(
        `${failed.length} of ${messages.length} acks on ${this.#label} not confirmed: ${errorMessage(first)}`,
        { cause: first },
      );
    }
  }

  /**
   * Consumer counters for metrics: not yet delivered, delivered and awaiting ack, and of those
   * awaiting ack how many were delivered more than once (it drops again as they are acked).
   */
  async info(): Promise<{ pending: number; ackPending: number; redelivered: number }> {
    const ci = await this.#jsm.consumers.info(this.#stream, this.#consumerName);
    return { pending: ci.num_pending, ackPending: ci.num_ack_pending, redelivered: ci.num_redelivered };
  }

  /** Drains (so acks already sent by ack() reach the server) and closes; safe twice. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    if (this.#nc.isClosed()) return;
    if (this.#connected) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), DRAIN_TIMEOUT_MS);
      });
      try {
        if ((await Promise.race([this.#nc.drain(), timeout])) !== 'timeout') return;
      } catch {
        // Drain refused (already draining or closed): close below settles it.
      } finally {
        clearTimeout(timer);
      }
    }
    if (!this.#nc.isClosed()) await this.#nc.close();
  }

  async #watchConnection(): Promise<void> {
    try {
      for await (const s of this.#nc.status()) {
        if (s.type === 'disconnect') {
          this.#connected = false;
          for (const stop of this.#inflight) stop(new Error('connection to NATS lost'));
        } else if (s.type === 'reconnect') {
          this.#connected = true;
        }
      }
    } catch {
      // The status iterator ends with the connection; nothing is left to watch.
    }
    this.#connected = false;
  }
}

async function ensureStream(jsm: JetStreamManager, opts: JetStreamPullOptions): Promise<void> {
  try {
    await jsm.streams.info(opts.stream);
    return;
  } catch (err) {
    if (!isApiError(err, JetStreamApiCodes.StreamNotFound)) throw err;
    if (!opts.createStream) {
      throw new Error(`JetStream stream "${opts.stream}" does not exist (createStream is off)`, {
        cause: err,
      });
    }
  }
  try {
    await jsm.streams.add({ name: opts.stream, subjects: [opts.subject], storage: StorageType.File });
  } catch (err) {
    // Another replica may have created it first, with a config of its own.
    await jsm.streams.info(opts.stream).catch(() => Promise.reject(err));
  }
}

async function ensureConsumer(jsm: JetStreamManager, opts: JetStreamPullOptions): Promise<void> {
  const config: Partial<ConsumerConfig> = {
    durable_name: opts.consumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: opts.subject,
    ack_wait: (opts.ackWaitMs ?? 30_000) * MS_TO_NANOS,
    max_deliver: opts.maxDeliver ?? -1,
  };
  const where = `consumer "${opts.consumer}" on stream "${opts.stream}"`;
  let info: ConsumerInfo;
  try {
    // The same config as the stored one is a no-op, so every replica can call this on start.
    // Servers before 2.10 treat it as create-or-update.
    info = await jsm.consumers.add(opts.stream, config).catch((err: unknown) => {
      if (!isApiError(err, CONSUMER_EXISTS)) throw err;
      const { ack_wait, max_deliver, filter_subject } = config;
      return jsm.consumers.update(opts.stream, opts.consumer, { ack_wait, max_deliver, filter_subject });
    });
  } catch (err) {
    throw new Error(`cannot set up ${where}: ${errorMessage(err)}`, { cause: err });
  }
  // update() keeps the fields it cannot change: an old consumer of that name with another ack
  // policy would otherwise lose acks (none) or ack whole prefixes (all) without a word.
  const { ack_policy, deliver_policy } = info.config;
  if (ack_policy !== AckPolicy.Explicit || deliver_policy !== DeliverPolicy.All) {
    throw new Error(
      `${where} exists with ack_policy ${ack_policy}, deliver_policy ${deliver_policy}; ` +
        'it needs explicit and all: delete it or pick another name',
    );
  }
}

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
