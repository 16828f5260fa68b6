import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { packageRoot } from '../config/package-root.js';
import { createTestApp, type TestApp } from './test-app.js';

describe('GET /runbooks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the runbooks as HTML, with a section at the anchor of every alert runbook_url', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/runbooks' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const doc = parseYaml(await readFile(join(packageRoot(), 'alerts', 'earshot.rules.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert?: string; annotations?: { runbook_url?: string } }> }>;
    };
    const alerts = doc.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    expect(alerts.length).toBeGreaterThan(20);
    for (const alert of alerts) {
      const url = new URL(alert.annotations!.runbook_url!);
      expect(url.pathname).toBe('/runbooks');
      expect(res.body, alert.alert).toContain(`<h2 id="${url.hash.slice(1)}">${alert.alert}</h2>`);
    }
  });
});
