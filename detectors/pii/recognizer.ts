import type { PiiEntity } from './entities.js';
import type { TextView } from './text-view.js';

/** One entity found in a text: UTF-16 offsets [start, end) and a score in [0, 1]. */
export interface PiiSpan {
  entity: PiiEntity;
  start: number;
  end: number;
  score: number;
}

/**
 * A recognizer finds the candidates of one or more entity types in a text,
 * validates them (checksums, well-kept validators), raises the score of those
 * with context words nearby, and returns them with their final score. The
 * analyzer drops spans under the threshold and resolves overlaps.
 *
 * Rules every recognizer keeps:
 * - linear time in the text's length: bounded quantifiers, no nested
 *   unbounded repetition, cheap gates (`applies`) before any regex;
 * - no state between calls (regexes with the g or y flag reset lastIndex);
 * - never throws on any string, lone surrogates included.
 */
export interface Recognizer {
  readonly name: string;
  readonly entities: readonly PiiEntity[];
  /** Cheap test on the text's features; false means `scan` would find nothing. */
  applies(view: TextView): boolean;
  scan(view: TextView): PiiSpan[];
}
