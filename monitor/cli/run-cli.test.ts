import { describe, expect, it } from 'vitest';
import { PACKAGE_VERSION } from '../config/package-version.js';
import { runCli } from './run-cli.js';
import { testIo } from './test-io.js';

describe('earshot', () => {
  it('lists the commands and the exit codes in --help', async () => {
    const io = testIo();
    expect(await runCli(['--help'], io)).toBe(0);
    const out = io.out();
    for (const command of [
      'serve',
      'demo',
      'check FILE|-',
      'contracts check',
      'contracts infer FILE',
      'generate',
    ]) {
      expect(out).toContain(command);
    }
    expect(out).toMatch(/Exit codes:\n\s+0 .*\n[\s\S]*\n\s+1 .*\n[\s\S]*\n\s+2 /);
  });

  it('prints its version', async () => {
    const io = testIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toBe(`${PACKAGE_VERSION}\n`);
  });

  it('has --help for every command', async () => {
    for (const argv of [
      ['serve'],
      ['demo'],
      ['check'],
      ['generate'],
      ['contracts', 'check'],
      ['contracts', 'infer'],
      ['contracts'],
    ]) {
      const io = testIo();
      expect(await runCli([...argv, '--help'], io), argv.join(' ')).toBe(0);
      expect(io.out()).toMatch(/^Usage: earshot /);
      if (argv[0] !== 'contracts' || argv.length > 1) expect(io.out()).toContain('Exit codes:');
    }
    const io = testIo();
    expect(await runCli(['help', 'contracts', 'check'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: earshot contracts check/);
  });

  it('exits 2 on a usage error, naming the command and how to get help', async () => {
    let io = testIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "frobnicate"');
    expect(io.err()).toContain("Run 'earshot --help' for usage.");
    io = testIo();
    expect(await runCli([], io)).toBe(2);
    expect(io.err()).toContain('Usage: earshot <command>');
    io = testIo();
    expect(await runCli(['demo', '--rate', 'fast'], io)).toBe(2);
    expect(io.err()).toContain('earshot demo: --rate must be a positive number');
    expect(io.err()).toContain("Run 'earshot demo --help' for usage.");
    io = testIo();
    expect(await runCli(['serve', '--port', '70000'], io)).toBe(2);
    expect(io.err()).toContain('--port must be at most 65535');
  });

  it('exits 2 on a bad configuration file, naming the key', async () => {
    const io = testIo({ env: { EARSHOT_PORT: 'eighty' } });
    expect(await runCli(['contracts', 'check'], io)).toBe(2);
    expect(io.err()).toContain('server.port');
  });
});
