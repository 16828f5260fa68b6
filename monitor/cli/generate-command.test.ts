import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { testIo } from './test-io.js';

const START = '2024-05-01T00:00:00Z';

describe('earshot generate', () => {
  it('writes the same NDJSON for the same seed and options', async () => {
    const run = async () => {
      const io = testIo();
      const argv = [
        'generate',
        '--count',
        '200',
        '--seed',
        '9',
        '--start',
        START,
        '--fault',
        'missing_required=0.1',
      ];
      expect(await runCli(argv, io)).toBe(0);
      return io.out();
    };
    const first = await run();
    expect(first).toBe(await run());
    const lines = first.trimEnd().split('\n');
    expect(lines).toHaveLength(200);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('event_type');
  });

  it('counts the faults on stderr with --stats', async () => {
    const io = testIo();
    const argv = ['generate', '--count', '500', '--start', START, '--fault', 'all=0.02', '--stats'];
    expect(await runCli(argv, io)).toBe(0);
    expect(io.err()).toContain('generated 500 events');
    expect(io.err()).toMatch(/malformed_json\s+\d+/);
  });

  it('exits 2 without --count or with a bad fault', async () => {
    let io = testIo();
    expect(await runCli(['generate'], io)).toBe(2);
    expect(io.err()).toContain('--count is required');
    io = testIo();
    expect(await runCli(['generate', '--count', '5', '--fault', 'gremlins=0.1'], io)).toBe(2);
    expect(io.err()).toContain('unknown fault "gremlins"');
    io = testIo();
    expect(await runCli(['generate', '--count', '5', '--start', 'yesterday'], io)).toBe(2);
    expect(io.err()).toContain('--start must be an RFC 3339 time');
  });
});
