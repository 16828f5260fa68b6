/**
 * Span-level precision, recall and F1. A predicted span is a true positive
 * when it overlaps a gold span of the same entity; each gold span matches at
 * most one prediction and the reverse, taken greedily by overlap length, so
 * one long prediction over two gold spans scores one hit and one miss. The
 * exact-boundary rate says how many hits also agree on start and end.
 */

export interface ScoredSpan {
  entity: string;
  start: number;
  end: number;
}

export interface TextSpans {
  gold: readonly ScoredSpan[];
  predicted: readonly ScoredSpan[];
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  /** True positives whose start and end equal the gold span's. */
  exact: number;
}

export interface Score extends Counts {
  precision: number;
  recall: number;
  f1: number;
  /** exact / tp; 0 when there are no hits. */
  exactRate: number;
}

export interface Match {
  /** Indexes into gold and predicted of each matched pair. */
  pairs: Array<[gold: number, predicted: number]>;
  /** Unmatched predictions (false positives) and gold spans (misses). */
  falsePositives: number[];
  misses: number[];
}

function overlap(a: ScoredSpan, b: ScoredSpan): number {
  return Math.min(a.end, b.end) - Math.max(a.start, b.start);
}

/** One-to-one matching of predictions to gold spans of the same entity, largest overlap first. */
export function matchSpans(gold: readonly ScoredSpan[], predicted: readonly ScoredSpan[]): Match {
  const candidates: Array<[number, number, number]> = [];
  gold.forEach((g, gi) => {
    predicted.forEach((p, pi) => {
      const o = overlap(g, p);
      if (o > 0 && g.entity === p.entity) candidates.push([o, gi, pi]);
    });
  });
  // Largest overlap first; ties by position so the result does not depend on sort stability.
  candidates.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const goldUsed = new Set<number>();
  const predUsed = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const [, gi, pi] of candidates) {
    if (goldUsed.has(gi) || predUsed.has(pi)) continue;
    goldUsed.add(gi);
    predUsed.add(pi);
    pairs.push([gi, pi]);
  }
  return {
    pairs,
    falsePositives: predicted.map((_, i) => i).filter((i) => !predUsed.has(i)),
    misses: gold.map((_, i) => i).filter((i) => !goldUsed.has(i)),
  };
}

/** Precision, recall and F1 from counts; a ratio with a zero denominator is 0. */
export function scoreOf(c: Counts): Score {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1, exactRate: c.tp === 0 ? 0 : c.exact / c.tp };
}

export interface CorpusScore {
  /** Per entity, for every entity in `entities` (zero counts included). */
  byEntity: Map<string, Score>;
  /** Micro-averaged over all spans of all entities. */
  overall: Score;
}

/** Scores a whole corpus, per entity and overall (micro average). */
export function scoreCorpus(texts: readonly TextSpans[], entities: readonly string[]): CorpusScore {
  const counts = new Map<string, Counts>(entities.map((e) => [e, { tp: 0, fp: 0, fn: 0, exact: 0 }]));
  const bump = (entity: string, key: keyof Counts): void => {
    let c = counts.get(entity);
    if (!c) {
      c = { tp: 0, fp: 0, fn: 0, exact: 0 };
      counts.set(entity, c);
    }
    c[key]++;
  };
  for (const { gold, predicted } of texts) {
    const m = matchSpans(gold, predicted);
    for (const [gi, pi] of m.pairs) {
      const g = gold[gi]!;
      const p = predicted[pi]!;
      bump(g.entity, 'tp');
      if (g.start === p.start && g.end === p.end) bump(g.entity, 'exact');
    }
    for (const pi of m.falsePositives) bump(predicted[pi]!.entity, 'fp');
    for (const gi of m.misses) bump(gold[gi]!.entity, 'fn');
  }
  const total: Counts = { tp: 0, fp: 0, fn: 0, exact: 0 };
  const byEntity = new Map<string, Score>();
  for (const [entity, c] of counts) {
    byEntity.set(entity, scoreOf(c));
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
    total.exact += c.exact;
  }
  return { byEntity, overall: scoreOf(total) };
}
