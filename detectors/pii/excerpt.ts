import type { PiiEntity } from './entities.js';
import { anonymize } from './operators.js';
import type { PiiSpan } from './recognizer.js';

/**
 * The part of a value around its first and last entity, every entity found
 * replaced by `<ENTITY>`, with `chars` characters of context on each side:
 * what a finding shows so a reader sees where the PII sat, never the PII.
 */
export function redactedExcerpt(text: string, spans: readonly PiiSpan[], chars: number): string {
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last) return '';
  const from = Math.max(0, first.start - chars);
  const to = Math.min(text.length, last.end + chars);
  const inside = spans.map((s) => ({ ...s, start: s.start - from, end: s.end - from }));
  const body = anonymize(text.slice(from, to), inside, (): 'replace' => 'replace');
  return `${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}`;
}

/** "EMAIL_ADDRESS, PHONE_NUMBER" from spans, each entity once, in order of appearance. */
export function entityList(spans: readonly PiiSpan[]): PiiEntity[] {
  return [...new Set(spans.map((s) => s.entity))];
}
