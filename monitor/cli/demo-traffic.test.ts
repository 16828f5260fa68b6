import { describe, expect, it } from 'vitest';
import { TrafficGenerator } from '../generator/generator.js';
import type { BatchItem } from '../pipeline/parse-body.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { DemoTraffic } from './demo-traffic.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordingPipeline() {
  const batches: Array<{ items: BatchItem[]; source: string | undefined }> = [];
  const pipeline = {
    processBatch(items: BatchItem[], opts: { source?: string } = {}) {
      batches.push({ items, source: opts.source });
      return { accepted: items.length, rejected: 0, results: [] };
    },
  } as unknown as Pipeline;
  return { pipeline, batches };
}

describe('DemoTraffic', () => {
  it('feeds parsed generated events in bounded batches with source demo, until stopped', async () => {
    const { pipeline, batches } = recordingPipeline();
    const traffic = new DemoTraffic(
      pipeline,
      new TrafficGenerator({ seed: 1, faults: { malformed_json: 0.2 } }),
      {
        rate: 5000,
        batchSize: 50,
      },
    );
    traffic.stop();
    traffic.start();
    await sleep(150);
    traffic.stop();
    traffic.stop();
    const sent = traffic.sent;
    expect(sent).toBeGreaterThan(0);
    expect(batches.reduce((n, b) => n + b.items.length, 0)).toBe(sent);
    for (const b of batches) {
      expect(b.source).toBe('demo');
      expect(b.items.length).toBeLessThanOrEqual(50);
    }
    const items = batches.flatMap((b) => b.items);
    expect(items.some((i) => !i.ok)).toBe(true);
    expect(items.some((i) => i.ok)).toBe(true);
    await sleep(50);
    expect(traffic.sent).toBe(sent);
  });

  it('keeps going after a failing batch, logging it once', async () => {
    const errors: unknown[] = [];
    const pipeline = {
      processBatch() {
        throw new Error('broken');
      },
    } as unknown as Pipeline;
    const traffic = new DemoTraffic(pipeline, new TrafficGenerator({ seed: 1 }), {
      rate: 5000,
      batchSize: 10,
      logger: { error: (obj: unknown) => errors.push(obj) },
    });
    traffic.start();
    await sleep(60);
    traffic.stop();
    expect(errors).toHaveLength(1);
  });
});
