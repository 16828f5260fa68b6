import type { CorpusScore, Score } from './score-spans.js';

/** Tables and target checks the PII benchmark prints. */

export const TARGETS = { overallF1: 0.95, precision: 0.95, recall: 0.9, speedup: 3 } as const;

function pct(x: number): string {
  return (x * 100).toFixed(1).padStart(6);
}

const NONE = '-'.padStart(6);

/** Precision and the exact rate of a system that predicted nothing are undefined: shown as "-". */
function cells(s: Score | undefined): string {
  if (!s) return [NONE, NONE, NONE, NONE].join(' ');
  const predicted = s.tp + s.fp > 0;
  return [
    predicted ? pct(s.precision) : NONE,
    pct(s.recall),
    pct(s.f1),
    s.tp > 0 ? pct(s.exactRate) : NONE,
  ].join(' ');
}

/** One row per entity and an overall row: precision, recall, F1, exact-boundary rate (percent) per system. */
export function scoreTable(
  entities: readonly string[],
  systems: ReadonlyArray<readonly [name: string, score: CorpusScore]>,
  goldCounts: ReadonlyMap<string, number>,
): string {
  const head1 = `${''.padEnd(16)} ${'gold'.padStart(5)}  ${systems.map(([n]) => n.padEnd(27)).join('  ')}`;
  const head2 = `${'entity'.padEnd(16)} ${''.padStart(5)}  ${systems.map(() => `${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)} ${'exact'.padStart(6)}`).join('  ')}`;
  const rows = entities.map(
    (e) =>
      `${e.padEnd(16)} ${String(goldCounts.get(e) ?? 0).padStart(5)}  ${systems.map(([, s]) => cells(s.byEntity.get(e))).join('  ')}`,
  );
  const total = [...goldCounts.values()].reduce((a, b) => a + b, 0);
  const overall = `${'OVERALL'.padEnd(16)} ${String(total).padStart(5)}  ${systems.map(([, s]) => cells(s.overall)).join('  ')}`;
  const rule = '-'.repeat(head2.length);
  return [head1, head2, rule, ...rows, rule, overall].join('\n');
}

export interface TargetCheck {
  label: string;
  met: boolean;
  detail: string;
}

/** The accuracy and speed targets, each with the measured figure it was judged on. */
export function checkTargets(
  score: CorpusScore,
  entities: readonly string[],
  speedup: number,
): TargetCheck[] {
  // An entity never predicted has no precision; its recall of 0 already fails.
  const lowPrecision = entities.filter((e) => {
    const s = score.byEntity.get(e);
    return s !== undefined && s.tp + s.fp > 0 && s.precision < TARGETS.precision;
  });
  const lowRecall = entities.filter((e) => (score.byEntity.get(e)?.recall ?? 0) < TARGETS.recall);
  return [
    {
      label: `overall F1 >= ${TARGETS.overallF1}`,
      met: score.overall.f1 >= TARGETS.overallF1,
      detail: score.overall.f1.toFixed(3),
    },
    {
      label: `precision >= ${TARGETS.precision} per entity`,
      met: lowPrecision.length === 0,
      detail: lowPrecision.length ? `below: ${lowPrecision.join(', ')}` : 'all entities',
    },
    {
      label: `recall >= ${TARGETS.recall} per entity`,
      met: lowRecall.length === 0,
      detail: lowRecall.length ? `below: ${lowRecall.join(', ')}` : 'all entities',
    },
    {
      label: `texts/s >= ${TARGETS.speedup}x redact-pii`,
      met: speedup >= TARGETS.speedup,
      detail: `${speedup.toFixed(2)}x`,
    },
  ];
}
