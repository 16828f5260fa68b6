import { Counter, Gauge, type Registry } from 'prom-client';

export type NatsOutcome = 'checked' | 'duplicate' | 'deferred' | 'redelivered';

/**
 * The NATS source's metrics: messages by what became of them, and the
 * consumer's backlog as the server counts it (shared by every replica, so
 * take max, not sum, across instances).
 */
export function registerNatsMetrics(
  registry: Registry,
  consumerInfo: () => Promise<{ pending: number; ackPending: number }>,
): (outcome: NatsOutcome, n: number) => void {
  const messages = new Counter({
    name: 'earshot_nats_messages_total',
    help: 'Messages taken from the NATS stream: checked, duplicate (already stored, acked unchecked), deferred (nak: the store could not be read); redelivered counts deliveries after the first.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ['checked', 'duplicate', 'deferred', 'redelivered']) messages.inc({ outcome }, 0);
  const backlog: Gauge<'state'> = new Gauge({
    name: 'earshot_nats_consumer_messages',
    help: 'Messages of the shared consumer: pending (not yet delivered) and ack_pending (delivered, not acked).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      try {
        const info = await consumerInfo();
        backlog.set({ state: 'pending' }, info.pending);
        backlog.set({ state: 'ack_pending' }, info.ackPending);
      } catch {
        // Not reachable now: the last values stay, the fetch loop logs the outage.
      }
    },
  });
  return (outcome, n) => messages.inc({ outcome }, n);
}
