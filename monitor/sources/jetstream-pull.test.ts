import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JetStreamPull, type JetStreamPullOptions, type PulledMessage } from './jetstream-pull.js';

// Needs the NATS server with JetStream on 127.0.0.1:4222.
const SERVER = 'nats://127.0.0.1:4222';

let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let stream: string;
let opened: JetStreamPull[];

beforeEach(async () => {
  stream = `earshot_test_${randomBytes(6).toString('hex')}`;
  opened = [];
  nc = await connect({ servers: SERVER });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});

afterEach(async () => {
  await Promise.all(opened.map((p) => p.close()));
  await jsm.streams.delete(stream).catch(() => undefined);
  await nc.close();
});

function options(extra: Partial<JetStreamPullOptions> = {}): JetStreamPullOptions {
  return {
    servers: SERVER,
    stream,
    subject: `${stream}.events.>`,
    consumer: `${stream}_worker`,
    createStream: true,
    ...extra,
  };
}

async function open(extra: Partial<JetStreamPullOptions> = {}): Promise<JetStreamPull> {
  const p = await JetStreamPull.connect(options(extra));
  opened.push(p);
  return p;
}

async function publish(count: number): Promise<void> {
  // One at a time: the test relies on stream order matching i.
  for (let i = 0; i < count; i++) await js.publish(`${stream}.events.e`, `m${i}`);
}

const text = (m: PulledMessage) => new TextDecoder().decode(m.data);

describe('JetStreamPull', () => {
  it('creates the stream and delivers messages in order; acked messages are not fetched again', async () => {
    const pull = await open();
    expect((await jsm.streams.info(stream)).config.subjects).toEqual([`${stream}.events.>`]);
    await publish(20);

    const batch = await pull.fetch(20, 2000);
    expect(batch.map(text)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(batch.map((m) => m.streamSequence)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(batch.every((m) => m.deliveryCount === 1 && m.subject === `${stream}.events.e`)).toBe(true);
    expect(await pull.info()).toEqual({ pending: 0, ackPending: 20, redelivered: 0 });

    await pull.ackAll(batch);
    expect((await pull.info()).ackPending).toBe(0);
    const started = Date.now();
    // 100 ms is below the client's minimum and is clamped to 1 s.
    expect(await pull.fetch(10, 100)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('shares one durable consumer between two instances: each message goes to one of them', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    await publish(100);
    const seen: number[] = [];
    const deadline = Date.now() + 8000;
    const work = async (p: JetStreamPull) => {
      while (seen.length < 100 && Date.now() < deadline) {
        const batch = await p.fetch(10, 1000);
        seen.push(...batch.map((m) => m.streamSequence));
        await p.ackAll(batch);
      }
    };
    await Promise.all([work(a), work(b)]);
    expect(seen).toHaveLength(100);
    expect(new Set(seen).size).toBe(100);
    expect(await a.info()).toEqual({ pending: 0, ackPending: 0, redelivered: 0 });
  });

  it('redelivers a message not acked within ack_wait, to either instance', async () => {
    const [a, b] = await Promise.all([open({ ackWaitMs: 1000 }), open({ ackWaitMs: 1000 })]);
    await publish(1);
    const [first] = await a.fetch(1, 1000);
    expect(first?.deliveryCount).toBe(1);

    // Acked on arrival: the fetch still waiting would otherwise get it a third time an ack_wait later.
    const fetchAndAck = async (p: JetStreamPull) => {
      const batch = await p.fetch(1, 2500);
      await p.ackAll(batch);
      return batch;
    };
    const again = (await Promise.all([fetchAndAck(a), fetchAndAck(b)])).flat();
    expect(again).toHaveLength(1);
    expect(again[0]!.deliveryCount).toBe(2);
    expect(again[0]!.streamSequence).toBe(first!.streamSequence);
    expect(await a.info()).toEqual({ pending: 0, ackPending: 0, redelivered: 0 });
  });

  it('working() keeps a message from redelivery past ack_wait', async () => {
    const [a, b] = await Promise.all([open({ ackWaitMs: 1000 }), open({ ackWaitMs: 1000 })]);
    await publish(1);
    const batch = await a.fetch(1, 1000);
    expect(batch).toHaveLength(1);

    const ticker = setInterval(() => batch[0]!.working(), 300);
    try {
      // 2.5 s of ack_wait 1 s: without working() the message would come to b.
      expect(await b.fetch(1, 2500)).toEqual([]);
    } finally {
      clearInterval(ticker);
    }
    await a.ackAll(batch);
    expect(await a.info()).toEqual({ pending: 0, ackPending: 0, redelivered: 0 });
  });

  it('ackAll rejects when a message was already nak’d, as its ack cannot be confirmed', async () => {
    const pull = await open();
    await publish(2);
    const batch = await pull.fetch(2, 1000);
    batch[1]!.nak();
    await expect(pull.ackAll(batch)).rejects.toThrow(/1 of 2 acks .* not confirmed: message 2 was already/);
  });

  it('rejects a missing stream when createStream is off, naming the stream', async () => {
    const err = await JetStreamPull.connect(options({ createStream: false })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`"${stream}"`);
    await expect(jsm.streams.info(stream)).rejects.toThrow(/stream not found/);
  });

  it('rejects a fetch in flight when the connection drops, and fetches while reconnecting', async () => {
    // A TCP proxy whose sockets the test can cut, standing in for a network failure.
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const upstream = net.connect(4222, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as net.AddressInfo;
    const pull = await open({ servers: `nats://127.0.0.1:${port}` });

    const inFlight = pull.fetch(5, 5000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const cutAt = Date.now();
    proxy.close();
    for (const s of sockets) s.destroy();

    await expect(inFlight).rejects.toThrow(/consumer .* failed: connection to NATS lost/);
    expect(Date.now() - cutAt).toBeLessThan(1000);
    await expect(pull.fetch(5, 1000)).rejects.toThrow(/not connected to NATS/);
    await pull.close();
    await pull.close();
    await expect(pull.fetch(5, 1000)).rejects.toThrow(/closed/);
  });
});
