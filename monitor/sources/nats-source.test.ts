import { createHash, randomBytes } from 'node:crypto';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../http/test-app.js';
import { message } from '../http/test-events.js';
import type { Store } from '../store/store.js';
import { testStores } from '../store/test-stores.js';
import { JetStreamPull } from './jetstream-pull.js';
import { NatsSource, type NatsSourceDeps } from './nats-source.js';

// Needs the NATS server with JetStream on 127.0.0.1:4222.
const SERVER = 'nats://127.0.0.1:4222';
/** Short, so a batch whose ack is dropped comes again within the test. */
const ACK_WAIT_MS = 1500;
const MISSING_LANGUAGE = 'schema missing_required /language';

type Outcome = Parameters<NatsSourceDeps['count']>[0];

/** Events the shipped contracts accept, and ones missing `language` (one schema finding each). */
function events(valid: number, missingLanguage: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < valid; i++) out.push(message({ turn: i + 1 }));
  for (let i = 0; i < missingLanguage; i++) {
    const { language: _, ...rest } = message({ turn: valid + i + 1 });
    out.push(rest);
  }
  return out;
}

// Generous: redeliveries wait on ack_wait and nak delays, and a loaded CI machine stretches both.
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 25_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(testStores())('NatsSource on $name', (target) => {
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let stream: string;
  let subject: string;
  let consumer: string;
  let t: TestApp;
  let pulls: JetStreamPull[];
  let sources: NatsSource[];
  let counts: Record<Outcome, number>;

  beforeEach(async () => {
    stream = `earshot_test_${randomBytes(6).toString('hex')}`;
    subject = `${stream}.events`;
    consumer = `${stream}_worker`;
    pulls = [];
    sources = [];
    counts = { checked: 0, duplicate: 0, deferred: 0, redelivered: 0 };
    nc = await connect({ servers: SERVER });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    t = await createTestApp({ store: await target.open(), config: { privacy: { hashSalt: 'nats-test' } } });
  });

  afterEach(async () => {
    await Promise.all(sources.map((s) => s.stop()));
    await Promise.all(pulls.map((p) => p.close()));
    await t.close();
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  afterAll(async () => {
    await target.cleanup();
  });

  interface SourceOptions {
    /** ackAll() of this many batches does nothing: the process died between its commit and its ack. */
    dropAcks?: number;
    store?: NatsSourceDeps['store'];
    markProcessed?: NatsSourceDeps['markProcessed'];
  }

  /** A source on the test's stream, its pull wrapped (delegating) so acks can be dropped. */
  async function openSource(opts: SourceOptions = {}): Promise<{ source: NatsSource; real: JetStreamPull }> {
    const real = await JetStreamPull.connect({
      servers: SERVER,
      stream,
      subject,
      consumer,
      createStream: true,
      ackWaitMs: ACK_WAIT_MS,
    });
    pulls.push(real);
    let drops = opts.dropAcks ?? 0;
    const wrapper: Pick<JetStreamPull, 'fetch' | 'ackAll' | 'info' | 'close'> = {
      fetch: (max, expiresMs) => real.fetch(max, expiresMs),
      async ackAll(messages) {
        if (drops > 0) {
          drops -= 1;
          return;
        }
        await real.ackAll(messages);
      },
      info: () => real.info(),
      close: () => real.close(),
    };
    const source = new NatsSource(
      {
        // The deps name the class, whose #private fields a delegating object cannot have.
        pull: wrapper,
        pipeline: t.app.pipeline,
        markProcessed: opts.markProcessed ?? ((ids) => t.app.flusher.markProcessed(ids)),
        flush: () => t.app.flusher.flush(),
        store: opts.store ?? t.app.store,
        logger: t.app.logger,
        count: (outcome, n) => {
          counts[outcome] += n;
        },
      },
      { batch: 50, fetchExpiresMs: 1000, eventIdField: 'event_id', workingEveryMs: 500 },
    );
    sources.push(source);
    return { source, real };
  }

  async function publish(...bodies: Array<Record<string, unknown> | string>): Promise<void> {
    // One at a time, each stored before the next: they then come in one fetch, in order.
    for (const b of bodies) await js.publish(subject, typeof b === 'string' ? b : JSON.stringify(b));
  }

  /** Sum of finding counts by detector, kind and attribute, as stored. */
  async function tally(): Promise<Record<string, number>> {
    const { items } = await t.app.store.queryFindings({ limit: 1000 });
    const out: Record<string, number> = {};
    for (const f of items) {
      const key = `${f.detector} ${f.kind} ${f.attribute ?? ''}`.trim();
      out[key] = (out[key] ?? 0) + f.count;
    }
    return out;
  }

  async function settled(): Promise<boolean> {
    const info = await jsm.consumers.info(stream, consumer);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }

  const ids = (list: Record<string, unknown>[]) => list.map((e) => e.event_id as string);

  it('checks each event once, stores its findings and id, then acks it', async () => {
    const sent = events(5, 3);
    const { source } = await openSource();
    source.start();
    await publish(...sent);

    await until('every event checked and acked', async () => counts.checked === 8 && (await settled()));
    await source.stop();

    expect(counts).toEqual({ checked: 8, duplicate: 0, deferred: 0, redelivered: 0 });
    expect(await tally()).toEqual({ [MISSING_LANGUAGE]: 3 });
    expect(await t.app.store.processedEvents([...ids(sent), 'never-sent'])).toEqual(new Set(ids(sent)));
    const info = await jsm.consumers.info(stream, consumer);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('acks a redelivered batch already written without checking it again', async () => {
    const sent = events(4, 2);
    const { source } = await openSource({ dropAcks: 1 });
    await publish(...sent);
    source.start();

    await until('the first delivery written', () => counts.checked === 6);
    const written = await tally();
    expect(written).toEqual({ [MISSING_LANGUAGE]: 2 });
    expect(await t.app.store.processedEvents(ids(sent))).toEqual(new Set(ids(sent)));

    // Not acked: JetStream hands the batch out again after ack_wait.
    await until('the redelivery acked', async () => counts.duplicate === 6 && (await settled()));
    await source.stop();

    expect(counts).toEqual({ checked: 6, duplicate: 6, deferred: 0, redelivered: 6 });
    expect(await tally()).toEqual(written);
  });

  it('counts an event_id a producer sent again once, in the same batch and in a later one', async () => {
    const [event] = events(0, 1);
    const { source } = await openSource();
    await publish(event!, event!);
    source.start();
    await until('the batch acked', async () => counts.checked + counts.duplicate === 2 && (await settled()));
    expect(counts).toMatchObject({ checked: 1, duplicate: 1 });

    await publish(event!);
    await until('the repeat acked', async () => counts.duplicate === 2 && (await settled()));
    await source.stop();

    expect(counts).toEqual({ checked: 1, duplicate: 2, deferred: 0, redelivered: 0 });
    expect(await tally()).toEqual({ [MISSING_LANGUAGE]: 1 });
  });

  it('gives a message that is not JSON one malformed finding, known by its bytes when it comes again', async () => {
    const body = '{"event_id": "e-1", "text": no quotes}';
    const hashed = `nats-body:${createHash('sha256').update(body).digest('hex')}`;
    const { source } = await openSource({ dropAcks: 1 });
    await publish(body);
    source.start();

    await until('the first delivery written', () => counts.checked === 1);
    expect(await tally()).toEqual({ 'schema malformed': 1 });
    expect(await t.app.store.processedEvents([hashed])).toEqual(new Set([hashed]));

    await until('the redelivery acked', async () => counts.duplicate === 1 && (await settled()));
    await source.stop();

    expect(counts).toEqual({ checked: 1, duplicate: 1, deferred: 0, redelivered: 1 });
    expect(await tally()).toEqual({ 'schema malformed': 1 });
  });

  it('while the store cannot be read, checks first deliveries and defers redeliveries until it answers', async () => {
    let failing = true;
    let refused = 0;
    const store: Pick<Store, 'processedEvents'> = {
      processedEvents: (eventIds) => {
        if (!failing) return t.app.store.processedEvents(eventIds);
        refused += 1;
        return Promise.reject(new Error('connection refused'));
      },
    };
    const sent = events(2, 2);
    const { source } = await openSource({ dropAcks: 1, store });
    await publish(...sent);
    source.start();

    // First deliveries cannot be repeats: checked and written although the lookup failed.
    await until('the first delivery written', () => counts.checked === 4);
    expect(refused).toBeGreaterThan(0);
    const written = await tally();
    expect(written).toEqual({ [MISSING_LANGUAGE]: 2 });

    // Redelivered while the lookup still fails: nak'd (5 s), neither checked nor acked.
    await until('the redelivery deferred', () => counts.deferred === 4);
    expect(counts.checked).toBe(4);
    expect(counts.duplicate).toBe(0);
    expect((await jsm.consumers.info(stream, consumer)).num_ack_pending).toBe(4);
    failing = false;

    await until('the redelivery acked', async () => counts.duplicate === 4 && (await settled()));
    await source.stop();

    expect(counts).toEqual({ checked: 4, duplicate: 4, deferred: 4, redelivered: 8 });
    expect(await tally()).toEqual(written);
  }, 60_000);

  it('stop() finishes the batch under way, writes and acks it, then closes the connection', async () => {
    const sent = events(3, 2);
    let stopping: Promise<void> | undefined;
    const { source, real } = await openSource({
      markProcessed: (eventIds) => {
        // Asked to stop after the batch was taken, before it is checked and written.
        stopping ??= source.stop();
        t.app.flusher.markProcessed(eventIds);
      },
    });
    await publish(...sent);
    source.start();

    await until('stop() to be called', () => stopping !== undefined);
    await stopping;

    expect(counts).toEqual({ checked: 5, duplicate: 0, deferred: 0, redelivered: 0 });
    expect(await tally()).toEqual({ [MISSING_LANGUAGE]: 2 });
    expect(await t.app.store.processedEvents(ids(sent))).toEqual(new Set(ids(sent)));
    expect(await settled()).toBe(true);
    await expect(real.fetch(1, 1000)).rejects.toThrow(/closed/);

    // The loop has ended and the connection is closed: stopping again is harmless.
    await source.stop();
    await source.stop();
    expect(counts.checked).toBe(5);
  });
});
