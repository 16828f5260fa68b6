import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../monitor/app.js';
import { buildConfig } from '../monitor/config/config.js';

describe('contracts published through the API', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('survive a restart, including a status change of a shipped version', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'earshot-published-'));
    dirs.push(dataDir);
    const config = buildConfig({ store: { dataDir }, log: { level: 'silent' }, privacy: { hashSalt: 's' } });

    const first = await createApp(config, { processMetrics: false });
    const shipped = first.registry.get('conversation.ended', '1.1.0')!;
    expect(shipped.status).toBe('active');
    await first.publishContract({ ...shipped, status: 'deprecated' });
    await first.publishContract({ ...shipped, version: '1.2.0', description: 'published through the API' });
    await first.stop();

    const second = await createApp(config, { processMetrics: false });
    expect(second.registry.get('conversation.ended', '1.1.0')?.status).toBe('deprecated');
    expect(second.registry.get('conversation.ended', '1.2.0')?.description).toBe('published through the API');
    const res = second.registry.resolve('conversation.ended', null);
    expect(res.ok && res.resolved.contract.version).toBe('1.2.0');
    await second.stop();
  });
});
