import { type Finding, makeFinding } from '../findings/finding.js';

/** 2025-03-01 10:00 UTC: the start of the dedup window the test findings fall in. */
export const T0 = Date.UTC(2025, 2, 1, 10, 0, 0);

/** A schema finding for the writer and flusher tests, `over` replacing any field, detected at `atMs`. */
export function testFinding(over: Partial<Finding> = {}, atMs = T0 + 5_000): Finding {
  return makeFinding(
    {
      detector: 'schema',
      kind: 'missing_required',
      contract: 'conversation.message',
      version: '1.1.0',
      attribute: '/sentiment',
      message: 'required attribute /sentiment is missing',
      ...over,
    },
    new Date(atMs),
  );
}
