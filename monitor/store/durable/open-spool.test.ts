import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../config/config.js';
import { spoolDir } from './open-spool.js';

describe('spoolDir', () => {
  it('puts the spool beside the data by default', () => {
    expect(spoolDir(buildConfig({ store: { dataDir: '/data' } }).store)).toBe(join('/data', 'spool'));
  });

  it('takes the configured directory, even beside an in-memory store', () => {
    const store = buildConfig({ store: { dataDir: 'memory://', spool: { dir: '/spool' } } }).store;
    expect(spoolDir(store)).toBe('/spool');
  });

  it('has none when turned off, or by default beside an in-memory store', () => {
    expect(spoolDir(buildConfig({ store: { spool: { enabled: false } } }).store)).toBeNull();
    expect(spoolDir(buildConfig({ store: { dataDir: 'memory://' } }).store)).toBeNull();
  });
});
