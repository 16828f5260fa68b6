import { EVENT_OUTCOMES } from '../metrics/metrics.js';
import type { DemoSnapshot } from './demo-snapshot.js';
import { clock, count, percent } from './format.js';

/** Finding kinds listed on the terminal. */
const TOP_KINDS = 16;

/** The summary as lines for a terminal redrawn in place; `final` leaves out what only a running demo offers. */
export function formatSummary(s: DemoSnapshot, final = false): string[] {
  const outcomes = EVENT_OUTCOMES.map(
    (o) => `${o} ${count(s.outcomes[o])} (${percent(s.outcomes[o], s.events)})`,
  ).join('   ');
  const lines = [
    `earshot demo   up ${clock(s.uptimeSeconds)}   seed ${s.seed}   target ${count(s.targetRate)} ev/s`,
    '',
    `  events     ${count(s.events)} checked   ${count(s.eventsPerSecond)} ev/s`,
    `  outcomes   ${outcomes}`,
    `  findings   ${count(s.findings)}${s.byKind.length > 0 ? ' by kind:' : ''}`,
  ];
  const shown = s.byKind.slice(0, TOP_KINDS);
  const width = Math.max(0, ...shown.map((k) => k.kind.length));
  for (const k of shown) lines.push(`    ${k.kind.padEnd(width)}  ${count(k.count).padStart(9)}`);
  if (s.byKind.length > TOP_KINDS) lines.push(`    ... and ${s.byKind.length - TOP_KINDS} more kinds`);
  lines.push(`  store      queue ${count(s.queueDepth)}   dropped ${count(s.dropped)}`);
  if (final) return lines;
  lines.push(
    '',
    `  API        ${s.apiUrl}/v1/events   ${s.apiUrl}/v1/findings`,
    `  metrics    ${s.metricsUrl}`,
    ...(s.keys ?? []).map(
      (k, i) => `  ${i === 0 ? 'API keys  ' : '          '} ${k.role.padEnd(9)} ${k.key}`,
    ),
    '',
    '  Ctrl-C to stop',
  );
  return lines;
}

/** The summary as one line, for logs and pipes. */
export function formatSummaryLine(s: DemoSnapshot): string {
  const outcomes = EVENT_OUTCOMES.map((o) => `${o}=${s.outcomes[o]}`).join(' ');
  const top = s.byKind
    .slice(0, 5)
    .map((k) => `${k.kind}=${k.count}`)
    .join(' ');
  return (
    `[${clock(s.uptimeSeconds)}] events=${s.events} rate=${Math.round(s.eventsPerSecond)}/s ${outcomes} ` +
    `findings=${s.findings}${top ? ` top: ${top}` : ''} queue=${s.queueDepth}`
  );
}

const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const HOME = '\x1b[H';
const CLEAR_EOL = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

export interface LiveSummaryOptions {
  /** Redraw in place (a terminal) or print a plain line now and then. */
  tty: boolean;
  /** Time between redraws on a terminal (default 500 ms). */
  ttyIntervalMs?: number;
  /** Time between plain lines (default 5 s). */
  plainIntervalMs?: number;
}

/**
 * Shows the demo summary: on a terminal, full screen (the alternate screen,
 * like top) redrawn in place with the cursor hidden; otherwise one plain
 * line every few seconds. stop() restores the terminal and prints the final
 * summary on the normal screen, so it stays in the scrollback.
 *
 * Lifecycle: start() once; stop() is safe before start() and twice.
 */
export class LiveSummary {
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private drawing: Promise<void> = Promise.resolve();
  private readonly restoreOnExit = () => {
    if (this.opts.tty) this.out.write(SHOW_CURSOR + ALT_SCREEN_OFF);
  };

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly snapshot: () => Promise<DemoSnapshot>,
    private readonly opts: LiveSummaryOptions,
  ) {}

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (this.opts.tty) {
      this.out.write(ALT_SCREEN_ON + HIDE_CURSOR);
      // A crash must not leave the terminal without a cursor.
      process.once('exit', this.restoreOnExit);
    }
    const interval = this.opts.tty ? (this.opts.ttyIntervalMs ?? 500) : (this.opts.plainIntervalMs ?? 5000);
    this.timer = setInterval(() => {
      this.drawing = this.drawing.then(() => this.draw()).catch(() => {});
    }, interval);
    this.timer.unref();
    if (this.opts.tty) this.drawing = this.draw().catch(() => {});
  }

  /** Stops redrawing, restores the terminal and prints the final summary. */
  async stop(final?: DemoSnapshot): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.drawing;
    if (this.started && this.opts.tty) {
      this.out.write(SHOW_CURSOR + ALT_SCREEN_OFF);
      process.removeListener('exit', this.restoreOnExit);
    }
    const s = final ?? (await this.snapshot());
    this.out.write(`${formatSummary(s, true).join('\n')}\n`);
  }

  private async draw(): Promise<void> {
    if (this.stopped) return;
    const s = await this.snapshot();
    if (this.stopped) return;
    if (this.opts.tty)
      this.out.write(`${HOME}${formatSummary(s).join(`${CLEAR_EOL}\n`)}${CLEAR_EOL}\n${CLEAR_BELOW}`);
    else this.out.write(`${formatSummaryLine(s)}\n`);
  }
}
