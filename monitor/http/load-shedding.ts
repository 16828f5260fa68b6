import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';

export interface SheddingConfig {
  /** Event-loop delay (ms) above which ingest is refused; 0 turns the check off. */
  maxEventLoopDelayMs: number;
  /** Event-loop utilization (0..1) above which ingest is refused; 0 turns the check off. */
  maxEventLoopUtilization: number;
  /** Heap in use (bytes) above which ingest is refused; 0 turns the check off. */
  maxHeapUsedBytes: number;
  /** Resident memory (bytes) above which ingest is refused; 0 turns the check off. */
  maxRssBytes: number;
  /** What Retry-After tells a refused producer. */
  retryAfterSeconds: number;
  /**
   * How often the process is measured. At least 50 ms: the delay is the mean
   * of a histogram sampled every 10 ms, and an interval without a sample
   * reads as an infinite delay.
   */
  sampleIntervalMs: number;
}

export const SHEDDING_DEFAULTS: SheddingConfig = {
  maxEventLoopDelayMs: 1000,
  // Off by default: a batch of thousands of events keeps the loop busy for a while by design; the delay
  // is what a producer feels, and 1 s of it means requests are queueing.
  maxEventLoopUtilization: 0,
  maxHeapUsedBytes: 0,
  maxRssBytes: 0,
  retryAfterSeconds: 5,
  sampleIntervalMs: 1000,
};

/**
 * Load shedding for the routes registered in `server` (the ingest routes):
 * while the process is overloaded (event-loop delay or utilization, heap or
 * RSS over their limits) they answer 503 with Retry-After before reading
 * the body, so a producer backs off instead of queueing work the process
 * cannot do. Routes outside this encapsulated instance (metrics, health,
 * findings) keep answering, which is what lets on-call see the overload.
 */
export async function shedLoad(server: FastifyInstance, config: SheddingConfig): Promise<void> {
  const limit = (v: number) => (v > 0 ? v : undefined);
  await server.register(underPressure, {
    maxEventLoopDelay: limit(config.maxEventLoopDelayMs),
    maxEventLoopUtilization: limit(config.maxEventLoopUtilization),
    maxHeapUsedBytes: limit(config.maxHeapUsedBytes),
    maxRssBytes: limit(config.maxRssBytes),
    sampleInterval: config.sampleIntervalMs,
    retryAfter: config.retryAfterSeconds,
    exposeStatusRoute: false,
    pressureHandler: (_request, reply, type) => {
      reply
        .code(503)
        .header('retry-after', String(config.retryAfterSeconds))
        .send({
          error: 'overloaded',
          message: `earshot is overloaded (${type}); retry after ${config.retryAfterSeconds} s`,
        });
    },
  });
}
