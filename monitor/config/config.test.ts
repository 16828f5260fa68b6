import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('fills every default', () => {
    const c = buildConfig({});
    expect(c.server.port).toBe(8080);
    expect(c.store.url).toBeNull();
    expect(c.envelope.event_type).toBe('event_type');
    expect(c.detectors.completeness.windowSeconds).toBe(300);
    expect(c.contracts.dir).toMatch(/contracts$/);
  });

  it('lets the environment override the file', () => {
    const c = buildConfig(
      { server: { port: 9000 } },
      { EARSHOT_PORT: '9100', DATABASE_URL: 'postgres://x@127.0.0.1/y', EARSHOT_LOG_LEVEL: 'warn' },
    );
    expect(c.server.port).toBe(9100);
    expect(c.store.url).toBe('postgres://x@127.0.0.1/y');
    expect(c.log.level).toBe('warn');
  });

  it('has a spool beside the data, and no NATS source, unless told otherwise', () => {
    const c = buildConfig({});
    expect(c.store.spool).toEqual({ enabled: true, dir: null, maxBytes: 1_073_741_824 });
    expect(c.sources.nats).toMatchObject({
      enabled: false,
      consumer: 'earshot',
      batch: 500,
      ackWaitSeconds: 30,
    });
    const env = buildConfig(
      { store: { spool: { maxBytes: 1_000_000 } }, sources: { nats: { stream: 'EVENTS' } } },
      { EARSHOT_SPOOL_DIR: '/var/lib/earshot/spool', EARSHOT_NATS_URL: 'nats://nats:4222' },
    );
    expect(env.store.spool).toEqual({ enabled: true, dir: '/var/lib/earshot/spool', maxBytes: 1_000_000 });
    expect(env.sources.nats).toMatchObject({ enabled: true, servers: 'nats://nats:4222', stream: 'EVENTS' });
    expect(() => buildConfig({ sources: { nats: { consumer: 'a.b' } } })).toThrow(/sources\.nats\.consumer/);
    expect(() => buildConfig({ store: { spool: { maxBytes: 10 } } })).toThrow(/store\.spool\.maxBytes/);
  });

  it('names the YAML key of an unknown or bad setting', () => {
    expect(() => buildConfig({ store: { flushIntervalMs: 'soon' } })).toThrow(/store\.flushIntervalMs/);
    expect(() => buildConfig({ server: { prot: 1 } })).toThrow(/server\.prot: unknown key/);
    expect(() => buildConfig({ detectors: { completeness: { windowSeconds: -1 } } })).toThrow(
      /detectors\.completeness\.windowSeconds/,
    );
    expect(() => buildConfig({}, { EARSHOT_PORT: 'eighty' })).toThrow(ConfigError);
  });

  it('reads the experiments list with defaults, and names the key of a bad experiment', () => {
    const experiment = {
      id: 'holdout-q4',
      arms: { treatment: 0.95, holdout: 0.05 },
      metrics: [{ name: 'converted', type: 'binary', event_type: 'conversion' }],
    };
    const c = buildConfig({ experiments: [experiment] });
    expect(c.experiments).toHaveLength(1);
    expect(c.experiments[0]!.config).toMatchObject({ id: 'holdout-q4', control: 1, unit: '/user_id' });
    expect(c.experiments[0]!.section).toEqual(experiment);
    expect(buildConfig({}).experiments).toEqual([]);
    expect(() =>
      buildConfig({ experiments: [experiment, { ...experiment, arms: { a: 0.5, b: 0.5 } }] }),
    ).toThrow(/experiments\[1\]\.control: name the arm/);
    expect(() => buildConfig({ experiments: [experiment, experiment] })).toThrow(
      /experiments\[1\]\.id: holdout-q4 is defined twice/,
    );
    expect(() => buildConfig({ experiments: [{ ...experiment, metric: [] }] })).toThrow(
      /experiments\[0\]\.metric: unknown key/,
    );
    expect(() => buildConfig({ experiments: ['x'] })).toThrow(/experiments\.0: must be object/);
  });

  it('reads a YAML file and reports one it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-config-'));
    const file = join(dir, 'earshot.yaml');
    await writeFile(file, 'server:\n  port: 9300\nenvelope:\n  event_type: type\n');
    const c = await loadConfig({}, file);
    expect(c.server.port).toBe(9300);
    expect(c.envelope.event_type).toBe('type');
    await expect(loadConfig({}, join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read config file/);
    await writeFile(file, 'server: [1, 2');
    await expect(loadConfig({}, file)).rejects.toThrow(/not valid YAML/);
  });
});
