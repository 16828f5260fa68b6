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
        required: ['detector', 'contract', 'attribute', 'state'],
        additionalProperties: true,
        properties: {
          detector: { enum: ['distribution', 'calibration', 'embedding'] },
          contract: { type: 'string' },
          attribute: { type: 'string' },
          type: { type: 'string' },
          model: { type: 'string' },
          state: { enum: ['collecting', 'stable', 'drifting', 'firing'] },
          reading: { type: ['object', 'null'], additionalProperties: true },
        },
      },
    },
  },
} as const;

/**
 * GET /v1/monitors: the state of every windowed monitor as of the last
 * evaluation (`evaluateIntervalSeconds`): distribution drift per monitored
 * attribute, calibration per model, embedding drift per contract. Each is
 * collecting (no reference or too few events yet), stable, drifting in this
 * window, or firing (drifting over k of the last n windows), with its
 * statistics and a plain-language explanation.
 */
export async function monitorsRoute(server: FastifyInstance, app: App): Promise<void> {
  server.get('/v1/monitors', { schema: { response: { 200: MONITORS_SCHEMA } } }, async () => {
    const d = app.detectors;
    return {
      monitors: [
        ...d.distribution.states().map((s) => ({ detector: 'distribution', ...s })),
        ...d.calibration.states().map((s) => ({ detector: 'calibration', type: 'calibration', ...s })),
        ...d.embedding.states().map((s) => ({ detector: 'embedding', ...s })),
      ],
    };
  });
}
