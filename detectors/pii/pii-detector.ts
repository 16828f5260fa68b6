import { type Finding, makeFinding } from '../../monitor/findings/finding.js';
import { saltedHash } from '../../monitor/findings/safe-token.js';
import type { ConversationEvent } from '../../monitor/pipeline/envelope.js';
import type { Detector, DetectorFactory, InspectContext } from '../detector.js';
import type { PiiAnalyzer } from './analyzer.js';
import { type AttributePolicy, contractPolicy } from './attribute-policy.js';
import { createPiiAnalyzer } from './default-recognizers.js';
import { entityList, redactedExcerpt } from './excerpt.js';
import { mayHoldPii } from './may-hold-pii.js';
import { DEFAULT_PII_CONFIG, PII_CONFIG_SCHEMA, type PiiConfig } from './pii-config.js';
import type { PiiSpan } from './recognizer.js';
import { visitStrings } from './string-values.js';

export const PII_DETECTOR = 'pii';

const MAX_REMEMBERED = 4096;
const MAX_REMEMBERED_LENGTH = 64;

/**
 * The `pii` detector: scans every string value of an event (nested objects
 * and arrays too). An entity the contract does not declare for that
 * attribute is a `pii_leak` (critical); an attribute declared as PII of a
 * recognizable kind that holds none of it is a `pii_mismatch` (warning).
 * Findings carry the entity types, scores, offsets, a redacted excerpt and a
 * salted hash of the value, never the value itself.
 */
export function createPiiDetector(config: PiiConfig = DEFAULT_PII_CONFIG, analyzer?: PiiAnalyzer): Detector {
  const engine =
    analyzer ?? createPiiAnalyzer({ threshold: config.threshold, entities: config.entities ?? undefined });
  // Short values that repeat from event to event (model versions, consent versions, codes) are
  // analyzed once: those found clean are remembered, in memory only, up to MAX_REMEMBERED.
  const clean = new Set<string>();
  return {
    name: PII_DETECTOR,
    kinds: [
      { kind: 'pii_leak', severity: 'critical' },
      { kind: 'pii_mismatch', severity: 'warning' },
    ],
    inspect(event: ConversationEvent, ctx: InspectContext): Finding[] {
      if (!config.enabled) return [];
      const policy = contractPolicy(ctx.contract.contract);
      const findings: Finding[] = [];
      visitStrings(event, (attribute, pointer, value) => {
        const rule = policy.get(attribute);
        if (!mayHoldPii(value)) {
          if (rule && rule.declared.length > 0 && value.length > 0)
            findings.push(mismatch(attribute, pointer, rule, ctx));
          return;
        }
        const short = value.length <= MAX_REMEMBERED_LENGTH;
        if (short && clean.has(value)) {
          if (rule && rule.declared.length > 0) findings.push(mismatch(attribute, pointer, rule, ctx));
          return;
        }
        const spans = engine.analyze(value);
        if (short && spans.length === 0) {
          if (clean.size >= MAX_REMEMBERED) clean.clear();
          clean.add(value);
        }
        const leaks = rule ? spans.filter((s) => !rule.allowed.has(s.entity)) : spans;
        if (leaks.length > 0) {
          findings.push(leak(value, spans, leaks, attribute, pointer, ctx, config.excerptChars));
        }
        if (rule && rule.declared.length > 0 && !spans.some((s) => rule.allowed.has(s.entity))) {
          findings.push(mismatch(attribute, pointer, rule, ctx));
        }
      });
      return findings;
    },
  };
}

function leak(
  value: string,
  spans: readonly PiiSpan[],
  leaks: readonly PiiSpan[],
  attribute: string,
  pointer: string,
  ctx: InspectContext,
  excerptChars: number,
): Finding {
  const entities = entityList(leaks);
  return makeFinding(
    {
      detector: PII_DETECTOR,
      kind: 'pii_leak',
      contract: ctx.contract.contract.contract,
      version: ctx.contract.contract.version,
      attribute,
      event_id: ctx.envelope.event_id,
      occurred_at: ctx.envelope.occurred_at,
      message: `${entities.join(', ')} found in ${attribute}, which the contract does not declare as holding it`,
      evidence: {
        ...(pointer !== attribute ? { pointer } : {}),
        entities: leaks.map((s) => ({
          entity: s.entity,
          score: Math.round(s.score * 100) / 100,
          start: s.start,
          end: s.end,
        })),
        // Every entity found is replaced in the excerpt, declared ones too.
        excerpt: redactedExcerpt(value, spans, excerptChars),
        value_hash: saltedHash(value),
      },
    },
    ctx.now,
  );
}

function mismatch(attribute: string, pointer: string, rule: AttributePolicy, ctx: InspectContext): Finding {
  return makeFinding(
    {
      detector: PII_DETECTOR,
      kind: 'pii_mismatch',
      contract: ctx.contract.contract.contract,
      version: ctx.contract.contract.version,
      attribute,
      event_id: ctx.envelope.event_id,
      occurred_at: ctx.envelope.occurred_at,
      message: `${attribute} is declared to hold ${rule.declared.join(' or ')} but holds none`,
      evidence: { ...(pointer !== attribute ? { pointer } : {}), declared: [...rule.declared] },
    },
    ctx.now,
  );
}

export const piiDetectorFactory: DetectorFactory<PiiConfig> = {
  name: PII_DETECTOR,
  configSchema: PII_CONFIG_SCHEMA,
  create: (config) => createPiiDetector(config),
};
