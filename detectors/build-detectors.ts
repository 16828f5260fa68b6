import type { Config } from '../monitor/config/config.js';
import {
  type CompletenessDetector,
  createCompletenessDetector,
} from './completeness/completeness-detector.js';
import type { Detector } from './detector.js';
import { createSchemaDetector } from './schema/schema-detector.js';
import { createSchemaDriftDetector } from './schema-drift/schema-drift-detector.js';

export interface BuiltDetectors {
  all: Detector[];
  completeness: CompletenessDetector;
}

/** The detectors earshot runs, in the order they see each event, from their config sections. */
export function buildDetectors(config: Pick<Config, 'detectors'>): BuiltDetectors {
  const completeness = createCompletenessDetector(config.detectors.completeness);
  return {
    all: [createSchemaDetector(), createSchemaDriftDetector(config.detectors.schema_drift), completeness],
    completeness,
  };
}
