import type { TrafficGenerator } from '../generator/generator.js';
import type { Logger } from '../logger.js';
import { parseLine } from '../pipeline/parse-body.js';
import type { Pipeline } from '../pipeline/pipeline.js';

export interface DemoTrafficOptions {
  /** Target events per second. */
  rate: number;
  /** Events per pipeline batch (default 100). */
  batchSize?: number;
  logger?: Pick<Logger, 'error'>;
  now?: () => number;
}

/**
 * Feeds generated events through the pipeline at a steady rate, one batch
 * per turn of the event loop, so the HTTP server stays responsive while the
 * demo runs. After a stall (a suspended laptop, a long GC) it catches up at
 * most one second of traffic instead of bursting.
 *
 * Lifecycle: start() once; stop() is safe before start() and twice.
 */
export class DemoTraffic {
  /** Events handed to the pipeline so far. */
  sent = 0;
  private readonly rate: number;
  private readonly batchSize: number;
  private readonly now: () => number;
  private credit = 0;
  private last = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running = false;
  private failed = false;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly generator: TrafficGenerator,
    private readonly opts: DemoTrafficOptions,
  ) {
    this.rate = opts.rate;
    this.batchSize = opts.batchSize ?? 100;
    this.now = opts.now ?? (() => performance.now());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.last = this.now();
    this.timer = setTimeout(this.tick, 0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
  }

  private readonly tick = (): void => {
    if (!this.running) return;
    const t = this.now();
    this.credit = Math.min(
      this.credit + ((t - this.last) * this.rate) / 1000,
      Math.max(this.rate, this.batchSize),
    );
    this.last = t;
    const n = Math.min(Math.floor(this.credit), this.batchSize);
    if (n > 0) {
      this.credit -= n;
      this.feed(n);
    }
    if (this.credit >= this.batchSize) {
      this.timer = setImmediate(this.tick);
    } else {
      const msToBatch = ((this.batchSize - this.credit) * 1000) / this.rate;
      this.timer = setTimeout(this.tick, Math.min(Math.max(msToBatch, 5), 250));
    }
  };

  private feed(n: number): void {
    const items = this.generator.batch(n).map((e) => parseLine(e.raw));
    try {
      this.pipeline.processBatch(items, { source: 'demo' });
      this.sent += n;
    } catch (err) {
      // Logged once: the demo goes on, and a broken pipeline would otherwise flood the terminal.
      if (!this.failed) this.opts.logger?.error({ err }, 'demo batch failed');
      this.failed = true;
    }
  }
}
