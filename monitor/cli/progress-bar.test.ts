import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';
import { RateMeter } from './rate-meter.js';
import { testIo } from './test-io.js';

function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ProgressBar', () => {
  it('shows the share of bytes read and the event rate when the size is known', () => {
    const clock = fakeClock();
    const io = testIo({ tty: true });
    const bar = new ProgressBar(io.stderr, { totalBytes: 1000, now: clock.now });
    bar.update(0, 0);
    clock.advance(1000);
    bar.update(5000, 500);
    const last = io.err().split('\r\x1b[2K').at(-1);
    expect(last).toMatch(/^\[█+░+\]\s+50%\s+5,000 events\s+5,000 ev\/s$/);
  });

  it('counts events only when the size is unknown (stdin)', () => {
    const io = testIo({ tty: true });
    const bar = new ProgressBar(io.stderr, { now: () => 0 });
    bar.update(1234);
    expect(io.err()).toContain('checking  1,234 events');
    expect(io.err()).not.toContain('%');
  });

  it('redraws at most once per interval and clears its line at the end', () => {
    const clock = fakeClock();
    const io = testIo({ tty: true });
    const bar = new ProgressBar(io.stderr, { totalBytes: 100, now: clock.now, intervalMs: 100 });
    for (let i = 0; i < 50; i++) {
      bar.update(i, i);
      clock.advance(10);
    }
    const draws = io.err().split('\r\x1b[2K').length - 1;
    expect(draws).toBeGreaterThanOrEqual(4);
    expect(draws).toBeLessThanOrEqual(6);
    bar.clear();
    bar.clear();
    expect(io.err().endsWith('\r\x1b[2K')).toBe(true);
    expect(io.err().split('\r\x1b[2K').length - 1).toBe(draws + 1);
  });
});

describe('RateMeter', () => {
  it('measures over the recent window, not since the start', () => {
    const clock = fakeClock();
    const meter = new RateMeter(1000, clock.now);
    meter.record(0);
    expect(meter.perSecond()).toBe(0);
    for (let i = 1; i <= 10; i++) {
      clock.advance(500);
      meter.record(i <= 5 ? i * 1000 : 5000);
    }
    // Fast for 2.5 s, then stalled for 2.5 s: the recent rate is 0, not the average.
    expect(meter.perSecond()).toBe(0);
  });
});
