import { pointerKeys, valueAtKeys } from '../../monitor/findings/json-pointer.js';
import { isSafeToken, saltedHash } from '../../monitor/findings/safe-token.js';
import type { ConversationEvent } from '../../monitor/pipeline/envelope.js';
import type { Contract, RedactOperator } from '../../monitor/registry/contract.js';
import type { PiiAnalyzer } from './analyzer.js';
import { type AttributePolicy, contractPolicy } from './attribute-policy.js';
import type { PiiEntity } from './entities.js';
import { anonymize, operate } from './operators.js';
import type { PiiSpan } from './recognizer.js';
import { stringValues } from './string-values.js';

/** One entity found while redacting an event: where, what, and how sure. */
export interface LocatedSpan extends PiiSpan {
  pointer: string;
}

export interface RedactedEvent {
  event: ConversationEvent;
  entities: LocatedSpan[];
}

export interface RedactedText {
  text: string;
  entities: PiiSpan[];
}

export interface EventRedactor {
  /** The redacted copy of an event, under its contract's governance when it has one. */
  event(event: ConversationEvent, contract: Contract | null): RedactedEvent;
  /** One text with every entity found rewritten by the configured operators. */
  text(text: string): RedactedText;
}

export interface RedactorOptions {
  analyzer: PiiAnalyzer;
  /** Operator per entity (and `default`) where the contract sets none. */
  operators: Partial<Record<PiiEntity | 'default', RedactOperator>>;
}

/**
 * Builds the redactor behind redact mode, `POST /v1/redact` and
 * `check --redact`. It answers a copy of the event (the caller's is never
 * changed) in which every string is scanned and its entities rewritten:
 * - an attribute the contract governs as PII as a whole (an email field, a
 *   user id) gets its operator on the whole value, `drop` removes it;
 * - free text and attributes without governance get an operator per entity:
 *   the contract's for that attribute, else the configured one.
 */
export function createEventRedactor(opts: RedactorOptions): EventRedactor {
  const fallback = (entity: PiiEntity | null): RedactOperator =>
    (entity ? opts.operators[entity] : undefined) ?? opts.operators.default ?? 'replace';

  const text = (value: string): RedactedText => {
    const entities = opts.analyzer.analyze(value);
    return { text: anonymize(value, entities, fallback), entities };
  };
  const event = (original: ConversationEvent, contract: Contract | null): RedactedEvent => {
    const copy = structuredClone(original);
    const policy = contract ? contractPolicy(contract) : null;
    const entities: LocatedSpan[] = [];
    renamePiiKeys(copy, opts.analyzer);
    for (const sv of stringValues(copy)) {
      const rule = policy?.get(sv.attribute);
      const spans = opts.analyzer.analyze(sv.value);
      for (const s of spans) entities.push({ ...s, pointer: sv.pointer });
      let next: string | null;
      if (rule?.wholeValue && rule.operatorFor(null) !== undefined) {
        const entity = spans[0]?.entity ?? rule.declared[0] ?? null;
        const op = rule.operatorFor(entity) ?? fallback(entity);
        next = operate(sv.value, entity, op);
      } else {
        if (spans.length === 0) continue;
        next = anonymize(sv.value, spans, (e) => rule?.operatorFor(e) ?? fallback(e));
      }
      const parent = sv.parent as Record<string | number, unknown>;
      if (next !== null) parent[sv.key] = next;
      else if (Array.isArray(sv.parent)) parent[sv.key] = '';
      else delete parent[sv.key];
    }
    // After the strings, so a value hashed here is not rewritten again as a string.
    if (policy) redactNonStrings(copy, policy);
    return { event: copy, entities };
  };
  return { event, text };
}

/** Object keys are data too: a key holding PII is renamed to its salted hash, in place. */
function renamePiiKeys(value: unknown, analyzer: PiiAnalyzer): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) renamePiiKeys(v, analyzer);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    renamePiiKeys(obj[key], analyzer);
    if (isSafeToken(key) || analyzer.analyze(key).length === 0) continue;
    obj[saltedHash(key)] = obj[key];
    delete obj[key];
  }
}

/** Governed attributes whose value is a number, object or array: hashed, dropped or replaced whole. */
function redactNonStrings(event: ConversationEvent, policy: ReadonlyMap<string, AttributePolicy>): void {
  for (const [pointer, rule] of policy) {
    if (!rule.wholeValue || pointer.includes('/items')) continue;
    const keys = pointerKeys(pointer);
    const last = keys.pop();
    const parent = valueAtKeys(event, keys);
    if (last === undefined || !parent || typeof parent !== 'object' || Array.isArray(parent)) continue;
    const obj = parent as Record<string, unknown>;
    const value = obj[last];
    if (value === null || value === undefined || typeof value === 'string') continue;
    const op = rule.operatorFor(rule.declared[0] ?? null);
    if (op === undefined || op === 'none') continue;
    if (op === 'hash') obj[last] = saltedHash(JSON.stringify(value));
    else if (op === 'drop' || op === 'redact') delete obj[last];
    else obj[last] = `<${rule.declared[0] ?? 'PII'}>`;
  }
}
