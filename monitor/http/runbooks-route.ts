import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Marked } from 'marked';
import { gfmHeadingId } from 'marked-gfm-heading-id';
import { packageRoot } from '../config/package-root.js';

/** The runbooks every alert's runbook_url points into, one section (and anchor) per alert. */
export const RUNBOOKS_FILE = join(packageRoot(), 'alerts', 'runbooks.md');

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
pre{background:#f3f4f6;padding:.75rem;overflow-x:auto}code{font-size:.9em}h2{border-top:1px solid #d0d7de;padding-top:1rem}`;

/**
 * The page the alerts' runbook links open: alerts/runbooks.md as HTML,
 * headings with the ids GitHub gives them, so `/runbooks#earshotpiileak`
 * lands on the alert's section. Rendered once; the file ships with earshot.
 */
export async function renderRunbooks(file = RUNBOOKS_FILE): Promise<string> {
  const markdown = await readFile(file, 'utf8');
  const body = await new Marked(gfmHeadingId()).parse(markdown);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>earshot runbooks</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** GET /runbooks: the runbooks as one HTML page (the alerts' runbook_url). */
export async function runbooksRoute(server: FastifyInstance): Promise<void> {
  let page: Promise<string> | null = null;
  server.get('/runbooks', async (_request, reply) => {
    // A failed render is not kept: the next request tries again.
    page ??= renderRunbooks().catch((err) => {
      page = null;
      throw err;
    });
    // The content is earshot's own file, not request input.
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(await page);
  });
}
