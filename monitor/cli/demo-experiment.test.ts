import { describe, expect, it } from 'vitest';
import { HoldoutDetector } from '../../detectors/holdout/holdout-detector.js';
import { TrafficGenerator } from '../generator/generator.js';
import { readEnvelope } from '../pipeline/envelope.js';
import type { ResolvedContract } from '../registry/registry.js';
import { demoExperiment } from './demo-experiment.js';

describe('the demo experiment', () => {
  it('is the one the synthetic traffic runs: both arms get units and conversions count', () => {
    const { config, section } = demoExperiment();
    const detector = new HoldoutDetector();
    detector.define(config, section, 'config');
    const start = new Date(Date.now() - 3_600_000);
    const generator = new TrafficGenerator({ seed: 7, start, eventsPerSecond: 20 });
    const now = new Date();
    for (let i = 0; i < 20_000; i++) {
      const { event } = generator.next();
      if (!event) continue;
      const contract = {
        contract: { contract: event.event_type, version: '1.1.0' },
      } as unknown as ResolvedContract;
      detector.inspect(event, {
        envelope: readEnvelope(event),
        contract,
        validationErrors: null,
        mode: 'observe',
        now,
      });
    }
    detector.evaluate(now);
    const view = detector.get(config.id)!;
    expect(view.result!.arms.every((a) => a.units > 50)).toBe(true);
    expect(view.events.outcomes.added).toBeGreaterThan(0);
    expect(view.events.exposures.unknown_arm ?? 0).toBe(0);
  });
});
