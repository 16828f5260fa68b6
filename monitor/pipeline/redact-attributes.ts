import { pointerKeys, valueAtKeys } from '../findings/json-pointer.js';
import { saltedHash } from '../findings/safe-token.js';
import type { Contract } from '../registry/contract.js';
import type { ConversationEvent } from './envelope.js';

export const MASK = '[REDACTED]';

/**
 * The copy of an event that redact mode answers with: every attribute whose
 * governance says `redact: mask | hash | drop` masked, replaced by a salted
 * hash, or removed. The caller's event is never changed.
 */
export function redactAttributes(event: ConversationEvent, contract: Contract | null): ConversationEvent {
  const copy = structuredClone(event);
  if (!contract) return copy;
  for (const [pointer, rule] of Object.entries(contract.attributes)) {
    if (!rule.redact || rule.redact === 'none') continue;
    const keys = pointerKeys(pointer);
    const last = keys.pop();
    if (last === undefined) continue;
    const parent = valueAtKeys(copy, keys);
    if (!parent || typeof parent !== 'object' || !(last in parent)) continue;
    const obj = parent as Record<string, unknown>;
    const value = obj[last];
    if (value === null || value === undefined) continue;
    if (rule.redact === 'drop') delete obj[last];
    else if (rule.redact === 'hash')
      obj[last] = saltedHash(typeof value === 'string' ? value : JSON.stringify(value));
    else obj[last] = MASK;
  }
  return copy;
}
