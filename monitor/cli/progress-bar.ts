import { count } from './format.js';
import { RateMeter } from './rate-meter.js';

export interface ProgressBarOptions {
  /** Bytes to read in all, when known (a file): the bar shows a percentage; otherwise a counter only. */
  totalBytes?: number;
  /** Least time between redraws (default 100 ms, ~10 per second). */
  intervalMs?: number;
  now?: () => number;
}

const CLEAR_LINE = '\r\x1b[2K';

/**
 * One line of progress redrawn in place on a terminal (the caller only makes
 * one when stderr is a TTY, so pipes and CI logs never see it). Redraws are
 * throttled: update() is cheap to call after every chunk.
 */
export class ProgressBar {
  private readonly totalBytes: number | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly meter: RateMeter;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WritableStream & { columns?: number },
    opts: ProgressBarOptions = {},
  ) {
    this.totalBytes = opts.totalBytes && opts.totalBytes > 0 ? opts.totalBytes : undefined;
    this.intervalMs = opts.intervalMs ?? 100;
    this.now = opts.now ?? (() => performance.now());
    this.meter = new RateMeter(3000, this.now);
  }

  update(events: number, bytesRead = 0): void {
    this.meter.record(events);
    const t = this.now();
    if (t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.out.write(CLEAR_LINE + this.render(events, bytesRead));
    this.drawn = true;
  }

  /** Removes the line, leaving the cursor where the bar started. Safe to call twice. */
  clear(): void {
    if (this.drawn) this.out.write(CLEAR_LINE);
    this.drawn = false;
  }

  render(events: number, bytesRead: number): string {
    const tail = `${count(events)} events  ${count(this.meter.perSecond())} ev/s`;
    if (this.totalBytes === undefined) return `checking  ${tail}`;
    const share = Math.min(1, bytesRead / this.totalBytes);
    const columns = this.out.columns ?? 80;
    const width = Math.max(10, Math.min(40, columns - tail.length - 10));
    const full = Math.round(share * width);
    const pct = `${Math.floor(share * 100)}%`.padStart(4);
    return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${pct}  ${tail}`;
  }
}
