import type { PiiEntity } from './entities.js';
import type { PiiSpan, Recognizer } from './recognizer.js';
import { resolveOverlaps } from './resolve-overlaps.js';
import { TextView } from './text-view.js';

export interface AnalyzerOptions {
  recognizers: readonly Recognizer[];
  /** Spans scoring under it are dropped (default 0.5). */
  threshold?: number;
  /** Entities to report; default all the recognizers know. */
  entities?: readonly PiiEntity[];
}

/** Default score threshold: a candidate needs validation or context to pass it. */
export const DEFAULT_THRESHOLD = 0.5;

/**
 * Runs every recognizer that applies to a text and returns the entities found,
 * overlaps resolved, sorted by start. Like Presidio's AnalyzerEngine, but
 * synchronous and cheap enough for the hot path: recognizers gate on the
 * text's features before running any pattern.
 */
export class PiiAnalyzer {
  readonly threshold: number;
  private readonly recognizers: readonly Recognizer[];
  private readonly wanted: ReadonlySet<PiiEntity> | null;

  constructor(opts: AnalyzerOptions) {
    this.threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    this.wanted = opts.entities ? new Set(opts.entities) : null;
    const wanted = this.wanted;
    this.recognizers = wanted
      ? opts.recognizers.filter((r) => r.entities.some((e) => wanted.has(e)))
      : opts.recognizers;
  }

  analyze(text: string): PiiSpan[] {
    if (text.length < 2) return [];
    const view = new TextView(text);
    const found: PiiSpan[] = [];
    for (const r of this.recognizers) {
      if (!r.applies(view)) continue;
      for (const s of r.scan(view)) {
        if (s.score < this.threshold || s.end <= s.start) continue;
        if (this.wanted && !this.wanted.has(s.entity)) continue;
        found.push(s);
      }
    }
    return resolveOverlaps(found);
  }
}
