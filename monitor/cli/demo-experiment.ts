import type { ExperimentConfig, ExperimentSection } from '../../detectors/holdout/experiment-config.js';
import { parseExperiment } from '../../detectors/holdout/parse-experiment.js';
import { OFFER_EXPERIMENT } from '../generator/vocab.js';

/**
 * The experiment the demo's synthetic traffic runs (proactive offers, half
 * the users held out, treated users converting 20% more often), so that
 * `GET /v1/experiments` and the experiment metrics show something in a demo.
 * Used only when the configuration defines no experiment of its own.
 */
export function demoExperiment(): { config: ExperimentConfig; section: ExperimentSection } {
  const section = {
    id: OFFER_EXPERIMENT.id,
    description: 'Demo: proactive offers, half the users held out',
    arms: Object.fromEntries(OFFER_EXPERIMENT.arms.map((arm) => [arm, 1 / OFFER_EXPERIMENT.arms.length])),
    control: 'control',
    metrics: [
      { name: 'converted', type: 'binary', event_type: 'conversion' },
      { name: 'revenue', type: 'continuous', event_type: 'conversion', value: '/value' },
    ],
  };
  const parsed = parseExperiment(section);
  if (!parsed.ok) throw new Error(`demo experiment: ${parsed.errors.join('; ')}`);
  return { config: parsed.config, section: parsed.section };
}
