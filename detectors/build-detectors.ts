import type { Config } from '../monitor/config/config.js';
import { type CalibrationDetector, createCalibrationDetector } from './calibration/calibration-detector.js';
import {
  type CompletenessDetector,
  createCompletenessDetector,
} from './completeness/completeness-detector.js';
import { type ConsentSinks, createConsentDetector } from './consent/consent-detector.js';
import { ConsentLedger, type LedgerBacking } from './consent/consent-ledger.js';
import type { Detector } from './detector.js';
import {
  createDistributionDetector,
  type DistributionDetector,
} from './distribution/distribution-detector.js';
import { createEmbeddingDriftDetector, type EmbeddingDriftDetector } from './embedding/embedding-detector.js';
import { createHoldoutDetector, type HoldoutDetector } from './holdout/holdout-detector.js';
import type { PiiAnalyzer } from './pii/analyzer.js';
import { createPiiAnalyzer } from './pii/default-recognizers.js';
import { createPiiDetector } from './pii/pii-detector.js';
import { createEventRedactor, type EventRedactor } from './pii/redact-event.js';
import { createSchemaDetector } from './schema/schema-detector.js';
import { createSchemaDriftDetector } from './schema-drift/schema-drift-detector.js';

export interface BuiltDetectors {
  all: Detector[];
  completeness: CompletenessDetector;
  /** Distribution drift of the attributes contracts monitor (monitors.distribution). */
  distribution: DistributionDetector;
  /** Calibration drift of the classifiers contracts declare (monitors.calibration), joined with later labels. */
  calibration: CalibrationDetector;
  /** Embedding drift of the vectors contracts declare (monitors.embedding_drift). */
  embedding: EmbeddingDriftDetector;
  /** Holdout experiments: exposures, outcomes, lifts and the sample-ratio check. */
  holdout: HoldoutDetector;
  /** The PII analyzer the detector, the redactor and the event-id guard share. */
  analyzer: PiiAnalyzer;
  /** Redact mode's redactor, sharing the PII detector's analyzer and configured operators. */
  redactor: EventRedactor;
  /** The consent ledger the consent detector reads and consent events feed. */
  ledger: ConsentLedger;
}

/** Where the consent detector's state lives: the store's ledger and check writer, or memory only. */
export interface DetectorDeps {
  consentBacking?: LedgerBacking | null;
  consentSinks?: ConsentSinks;
}

/** The detectors earshot runs, in the order they see each event, from their config sections. */
export function buildDetectors(config: Pick<Config, 'detectors'>, deps: DetectorDeps = {}): BuiltDetectors {
  const completeness = createCompletenessDetector(config.detectors.completeness);
  const pii = config.detectors.pii;
  const analyzer = createPiiAnalyzer({ threshold: pii.threshold, entities: pii.entities ?? undefined });
  const distribution = createDistributionDetector();
  const calibration = createCalibrationDetector();
  const embedding = createEmbeddingDriftDetector();
  const holdout = createHoldoutDetector();
  const all: Detector[] = [
    createSchemaDetector(),
    createSchemaDriftDetector(config.detectors.schema_drift),
    completeness,
    distribution,
    calibration,
    embedding,
    holdout,
  ];
  if (pii.enabled) all.push(createPiiDetector(pii, analyzer));
  const consent = config.detectors.consent;
  const ledger = new ConsentLedger(consent.cache_users, deps.consentBacking ?? null);
  if (consent.enabled) all.push(createConsentDetector(consent, ledger, deps.consentSinks));
  return {
    all,
    completeness,
    distribution,
    calibration,
    embedding,
    holdout,
    analyzer,
    ledger,
    redactor: createEventRedactor({ analyzer, operators: pii.operators }),
  };
}
