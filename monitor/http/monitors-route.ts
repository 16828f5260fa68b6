import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';

const MONITORS_SCHEMA = {
  type: 'object',
  required: ['monitors'],
  properties: {
    monitors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['detector', 'contract', 'attribute', 'type', 'state'],
        properties: {
          detector: { type: 'string' },
          contract: { type: 'string' },
          attribute: { type: 'string' },
          type: { type: 'string' },
          state: { enum: ['collecting', 'stable', 'drifting', 'firing'] },
          reading: { type: ['object', 'null'], additionalProperties: true },
        },
      },
    },
  },
} as const;

/**
 * GET /v1/monitors: the state of every windowed monitor as of the last
 * evaluation (`evaluateIntervalSeconds`): still collecting, stable,
 * drifting in this window, or firing (drifting over k of the last n
 * windows), with the statistics and a plain-language explanation.
 */
export async function monitorsRoute(server: FastifyInstance, app: App): Promise<void> {
  server.get('/v1/monitors', { schema: { response: { 200: MONITORS_SCHEMA } } }, async () => ({
    monitors: app.detectors.distribution.states().map((s) => ({ detector: 'distribution', ...s })),
  }));
}
