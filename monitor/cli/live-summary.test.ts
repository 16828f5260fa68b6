import { describe, expect, it } from 'vitest';
import type { DemoSnapshot } from './demo-snapshot.js';
import { formatSummary, formatSummaryLine, LiveSummary } from './live-summary.js';
import { testIo } from './test-io.js';

const SNAPSHOT: DemoSnapshot = {
  uptimeSeconds: 65,
  eventsPerSecond: 998.4,
  targetRate: 1000,
  seed: 42,
  events: 65_000,
  outcomes: { ok: 50_000, warning: 5_000, violation: 8_000, rejected: 2_000 },
  findings: 12_000,
  byKind: [
    { kind: 'malformed', count: 2000 },
    { kind: 'missing_required', count: 1500 },
  ],
  queueDepth: 12,
  dropped: 0,
  apiUrl: 'http://localhost:8080',
  metricsUrl: 'http://localhost:8080/metrics',
};

describe('demo summary', () => {
  it('shows uptime, rate, outcomes, findings by kind, store queue and the URLs', () => {
    const text = formatSummary(SNAPSHOT).join('\n');
    expect(text).toContain('up 00:01:05');
    expect(text).toContain('65,000 checked   998 ev/s');
    expect(text).toContain('violation 8,000 (12%)');
    expect(text).toMatch(/malformed\s+2,000\n\s+missing_required\s+1,500/);
    expect(text).toContain('queue 12');
    expect(text).toContain('http://localhost:8080/v1/events');
    expect(text).toContain('http://localhost:8080/metrics');
    expect(formatSummary(SNAPSHOT, true).join('\n')).not.toContain('Ctrl-C');
  });

  it('fits on one line for logs', () => {
    const line = formatSummaryLine(SNAPSHOT);
    expect(line).not.toContain('\n');
    expect(line).toContain('events=65000 rate=998/s ok=50000 warning=5000 violation=8000 rejected=2000');
    expect(line).toContain('top: malformed=2000 missing_required=1500');
  });

  it('on a terminal, draws on the alternate screen and restores the cursor when stopped', async () => {
    const io = testIo({ tty: true });
    const summary = new LiveSummary(io.stdout, async () => SNAPSHOT, { tty: true, ttyIntervalMs: 10 });
    summary.start();
    await new Promise((r) => setTimeout(r, 30));
    await summary.stop();
    await summary.stop();
    const out = io.out();
    expect(out.startsWith('\x1b[?1049h\x1b[?25l')).toBe(true);
    expect(out).toContain('\x1b[H');
    const restored = out.lastIndexOf('\x1b[?25h\x1b[?1049l');
    expect(restored).toBeGreaterThan(0);
    // The final summary is printed after leaving the alternate screen, so it stays in the scrollback.
    expect(out.slice(restored)).toContain('65,000 checked');
    expect(out.slice(restored + 14)).not.toContain('\x1b');
  });

  it('without a terminal, writes plain lines only', async () => {
    const io = testIo();
    const summary = new LiveSummary(io.stdout, async () => SNAPSHOT, { tty: false, plainIntervalMs: 10 });
    summary.start();
    await new Promise((r) => setTimeout(r, 40));
    await summary.stop();
    expect(io.out()).not.toContain('\x1b');
    expect(io.out()).toContain('[00:01:05] events=65000');
    expect(io.out()).toContain('findings   12,000 by kind:');
  });
});
