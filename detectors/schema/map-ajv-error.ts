import type { ErrorObject } from 'ajv';
import type { FindingKind } from '../../monitor/findings/finding.js';
import { childPointer, pointerKeys, valueAtPointer } from '../../monitor/findings/json-pointer.js';
import { jsonType } from '../../monitor/findings/json-type.js';
import { safeToken } from '../../monitor/findings/safe-token.js';

/** One problem an event has against its schema, in earshot's words rather than ajv's. */
export interface SchemaProblem {
  kind: FindingKind;
  /** JSON pointer of the attribute concerned. */
  attribute: string;
  message: string;
  /** Where ajv found it in this event (array positions kept), to read the value's type. */
  instancePath: string;
  /** Safe facts only: expected type, format, bound, keyword. Never the offending value. */
  evidence: Record<string, unknown>;
}

const BOUND_KEYWORDS = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'pattern',
  'contains',
  'minContains',
  'maxContains',
]);

// Combinators repeat the errors of their branches; the branch errors carry the useful pointer.
const SUMMARY_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'then', 'else', 'not', '$ref']);

/**
 * Maps one ajv error to a problem, or null when the error only summarises
 * others (anyOf, oneOf, ...) that are reported on their own.
 */
export function mapAjvError(e: ErrorObject, event: unknown): SchemaProblem | null {
  const at = attributePath(e.instancePath);
  const where = at || '/';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const attribute = childPointer(at, String(p.missingProperty));
      return {
        kind: 'missing_required',
        instancePath: e.instancePath,
        attribute,
        message: `required attribute ${attribute} is missing`,
        evidence: { keyword: 'required' },
      };
    }
    case 'dependentRequired': {
      const attribute = childPointer(at, String(p.missingProperty));
      return {
        kind: 'missing_required',
        instancePath: e.instancePath,
        attribute,
        message: `attribute ${attribute} is required when ${childPointer(at, String(p.property))} is present`,
        evidence: { keyword: 'dependentRequired', when: childPointer(at, String(p.property)) },
      };
    }
    case 'type': {
      const actual = jsonType(valueAtPointer(event, e.instancePath));
      return {
        kind: 'type_mismatch',
        instancePath: e.instancePath,
        attribute: where,
        message: `attribute ${where} must be ${String(p.type).split(',').join(' or ')} but is ${actual}`,
        evidence: { expected: p.type, actual },
      };
    }
    case 'enum':
    case 'const': {
      const allowed = e.keyword === 'enum' ? (p.allowedValues as unknown[]) : [p.allowedValue];
      const shown = allowed.slice(0, 20).map((v) => JSON.stringify(v));
      return {
        kind: 'enum_violation',
        instancePath: e.instancePath,
        attribute: where,
        message: `attribute ${where} is not one of ${shown.join(', ')}${allowed.length > 20 ? ', ...' : ''}`,
        evidence: { allowed: allowed.slice(0, 50) },
      };
    }
    case 'format':
      return {
        kind: 'format_violation',
        instancePath: e.instancePath,
        attribute: where,
        message: `attribute ${where} is not a valid ${p.format}`,
        evidence: { format: p.format },
      };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      // Attribute names come from traffic: a key may itself be personal data.
      const name = safeToken(String(p.additionalProperty ?? p.unevaluatedProperty));
      const attribute = childPointer(at, name);
      return {
        kind: 'unknown_attribute',
        instancePath: e.instancePath,
        attribute,
        message: `attribute ${attribute} is not in the contract`,
        evidence: { keyword: e.keyword },
      };
    }
    default:
      if (SUMMARY_KEYWORDS.has(e.keyword)) return null;
      return {
        kind: 'constraint_violation',
        instancePath: e.instancePath,
        attribute: where,
        message: BOUND_KEYWORDS.has(e.keyword)
          ? `attribute ${where} breaks ${e.keyword}${p.limit !== undefined ? ` ${p.limit}` : ''}`
          : `attribute ${where} breaks the contract rule ${e.keyword}`,
        evidence: { keyword: e.keyword, ...(p.limit !== undefined ? { limit: p.limit } : {}) },
      };
  }
}

/** All problems of one event, one per (kind, attribute). */
export function mapAjvErrors(errors: readonly ErrorObject[], event: unknown): SchemaProblem[] {
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  let more = 0;
  for (const e of errors) {
    const problem = mapAjvError(e, event);
    if (!problem) continue;
    const key = `${problem.kind}\u0000${problem.attribute}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.length < MAX_PROBLEMS_PER_EVENT) out.push(problem);
    else more++;
  }
  const last = out[out.length - 1];
  if (more > 0 && last) last.evidence = { ...last.evidence, more_problems: more };
  return out;
}

/** Enough to act on; a hostile event cannot turn into thousands of findings. */
export const MAX_PROBLEMS_PER_EVENT = 20;

/**
 * The attribute an ajv instance path names, in contract terms: array
 * positions collapse to `items` (one finding for a bad array, not one per
 * element, the same pointer compatibility reports use), and keys that may be
 * personal data (map-like objects keyed by traffic) become salted hashes.
 */
export function attributePath(instancePath: string): string {
  if (instancePath === '') return '';
  return pointerKeys(instancePath).reduce(
    (path, key) => childPointer(path, /^\d+$/.test(key) ? 'items' : safeToken(key)),
    '',
  );
}
