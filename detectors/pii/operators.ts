import { saltedHash } from '../../monitor/findings/safe-token.js';
import type { RedactOperator } from '../../monitor/registry/contract.js';
import type { PiiEntity } from './entities.js';
import type { PiiSpan } from './recognizer.js';

/** Entities whose mask keeps the last four digits, so an agent can still say "the card ending 1111". */
const KEEP_LAST_FOUR: ReadonlySet<PiiEntity> = new Set(['CREDIT_CARD', 'PHONE_NUMBER']);

const MASK_CHAR = '*';

/** `*` for every letter and digit; separators stay so the shape is still readable. Cards and phones keep four digits. */
export function maskValue(value: string, entity: PiiEntity | null): string {
  let keep = entity && KEEP_LAST_FOUR.has(entity) ? 4 : 0;
  const out = value.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    const ch = out[i]!;
    if (!/[\p{L}\p{N}]/u.test(ch)) continue;
    if (keep > 0 && ch >= '0' && ch <= '9') {
      keep--;
      continue;
    }
    out[i] = MASK_CHAR;
  }
  return out.join('');
}

/** The text that replaces one value under an operator; `null` means remove it. */
export function operate(value: string, entity: PiiEntity | null, op: RedactOperator): string | null {
  switch (op) {
    case 'none':
      return value;
    case 'replace':
      return `<${entity ?? 'PII'}>`;
    case 'mask':
      return maskValue(value, entity);
    case 'hash':
      return saltedHash(value);
    case 'redact':
    case 'drop':
      return null;
  }
}

/**
 * The text with every span replaced by its operator's output (Presidio's
 * AnonymizerEngine). Spans must not overlap (the analyzer resolves overlaps).
 */
export function anonymize(
  text: string,
  spans: readonly PiiSpan[],
  operatorFor: (entity: PiiEntity) => RedactOperator,
): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start);
    out += operate(text.slice(s.start, s.end), s.entity, operatorFor(s.entity)) ?? '';
    at = s.end;
  }
  return out + text.slice(at);
}
