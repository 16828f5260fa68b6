/**
 * `npm run bench:pii`: texts/s of earshot's PII analyzer and redact-pii on
 * 200-character texts cut from the labelled corpus (bench/pii/corpus.jsonl),
 * then the accuracy of both per entity on the corpus, then earshot's time on
 * 1 MB adversarial inputs, then which targets are met. Every figure printed
 * is measured in this run.
 *
 * PII_BENCH_SECONDS (default 1) sets the timing window per system and round,
 * PII_BENCH_ROUNDS (default 7) the number of alternating rounds;
 * PII_BENCH_ERRORS=n prints earshot's first n misses and false positives per entity.
 */
import type { PiiAnalyzer } from '../../detectors/pii/analyzer.js';
import { createPiiAnalyzer, DEFAULT_RECOGNIZERS } from '../../detectors/pii/default-recognizers.js';
import { PII_ENTITIES } from '../../detectors/pii/entities.js';
import { anonymize } from '../../detectors/pii/operators.js';
import { TextView } from '../../detectors/pii/text-view.js';
import type { CorpusText } from './corpus/compose.js';
import { corpusFile, readCorpus } from './read-corpus.js';
import { redactPii, redactPiiSpans } from './redact-pii-spans.js';
import { checkTargets, scoreTable } from './report.js';
import { matchSpans, type ScoredSpan, scoreCorpus, type TextSpans } from './score-spans.js';
import {
  ADVERSARIAL_INPUTS,
  alternatingRates,
  fixedLengthTexts,
  stageCosts,
  timeOnce,
} from './throughput.js';

const SECONDS = Number(process.env.PII_BENCH_SECONDS ?? 1);
const ROUNDS = Number(process.env.PII_BENCH_ROUNDS ?? 7);
const SHOW_ERRORS = Number(process.env.PII_BENCH_ERRORS ?? 0);
const TEXT_LENGTH = 200;

function rate(x: number): string {
  return Math.round(x).toLocaleString('en-US').padStart(10);
}

/** Earshot's misses and false positives, a few per entity, to see what to fix. */
function printErrors(corpus: readonly CorpusText[], results: readonly TextSpans[], limit: number): void {
  const shown = new Map<string, number>();
  const show = (kind: string, entity: string, c: CorpusText, s: ScoredSpan): void => {
    const key = `${kind} ${entity}`;
    const n = shown.get(key) ?? 0;
    if (n >= limit) return;
    shown.set(key, n + 1);
    const around = c.text.slice(Math.max(0, s.start - 30), s.end + 30).replaceAll('\n', ' ');
    console.log(
      `  ${key.padEnd(24)} ${c.id.padEnd(28)} ${JSON.stringify(c.text.slice(s.start, s.end))} in …${around}…`,
    );
  };
  results.forEach((r, i) => {
    const m = matchSpans(r.gold, r.predicted);
    for (const gi of m.misses) show('miss', r.gold[gi]!.entity, corpus[i]!, r.gold[gi]!);
    for (const pi of m.falsePositives) show('false+', r.predicted[pi]!.entity, corpus[i]!, r.predicted[pi]!);
  });
}

/**
 * Texts per second of earshot and redact-pii, both redacting, and where
 * earshot's time goes. Run before the accuracy pass: the JIT compiles each
 * library for the workload it sees first, and compiled for the corpus's
 * long texts earshot ran its 200-character texts about a tenth slower, so
 * both are measured as a sidecar runs, warmed on the traffic they measure.
 * Returns earshot's speed over redact-pii's.
 */
function throughput(corpus: readonly CorpusText[], analyzer: PiiAnalyzer): number {
  const texts = fixedLengthTexts(
    corpus.map((c) => c.text),
    TEXT_LENGTH,
  );
  console.log(
    `Throughput on ${texts.length} texts of ${TEXT_LENGTH} characters: ${ROUNDS} alternating rounds of ${SECONDS} s each after a warm-up round (median, range)`,
  );
  // Both redact: earshot finds the spans and replaces each with <ENTITY>, as redact-pii replaces with its tokens.
  const earshotRedact = (t: string) => anonymize(t, analyzer.analyze(t), () => 'replace');
  const speed = alternatingRates(texts, [earshotRedact, redactPii], SECONDS, ROUNDS);
  const range = (xs: readonly number[]) => `${rate(Math.min(...xs)).trim()}–${rate(Math.max(...xs)).trim()}`;
  console.log(`  earshot redact         ${rate(speed.medians[0]!)} texts/s  (${range(speed.rates[0]!)})`);
  console.log(`  redact-pii redact      ${rate(speed.medians[1]!)} texts/s  (${range(speed.rates[1]!)})`);
  const speedup = speed.medianRatio;
  const ratios = speed.rates[0]!.map((r, i) => (r / speed.rates[1]![i]!).toFixed(2)).join(' ');
  console.log(
    `  ratio                  ${speedup.toFixed(2).padStart(10)}x  (median of the rounds' ratios: ${ratios})`,
  );

  // Where earshot's time goes, to see which recognizer to make cheaper.
  const costs = stageCosts(
    texts,
    (t) => new TextView(t),
    DEFAULT_RECOGNIZERS.map((r) => [r.name, (v: TextView) => (r.applies(v) ? r.scan(v) : null)] as const),
    3,
  );
  console.log('  earshot by recognizer (applies + scan, µs per text):');
  for (const c of costs.sort((a, b) => b.micros - a.micros)) {
    console.log(`    ${c.name.padEnd(20)} ${c.micros.toFixed(1).padStart(8)}`);
  }

  return speedup;
}

function main(): void {
  const corpus = readCorpus();
  const analyzer = createPiiAnalyzer();
  const entities = [...PII_ENTITIES];
  const gold = new Map<string, number>(entities.map((e) => [e, 0]));
  for (const c of corpus) for (const s of c.spans) gold.set(s.entity, (gold.get(s.entity) ?? 0) + 1);
  console.log(
    `earshot PII bench: ${corpus.length} texts, ${[...gold.values()].reduce((a, b) => a + b, 0)} gold spans (${corpusFile()}), node ${process.version}\n`,
  );

  const speedup = throughput(corpus, analyzer);

  const earshot: TextSpans[] = corpus.map((c) => ({ gold: c.spans, predicted: analyzer.analyze(c.text) }));
  let inconsistent = 0;
  const baseline: TextSpans[] = corpus.map((c) => {
    const { spans, consistent } = redactPiiSpans(c.text);
    if (!consistent) inconsistent++;
    const predicted = spans.flatMap((s) =>
      s.entity ? [{ entity: s.entity, start: s.start, end: s.end }] : [],
    );
    return { gold: c.spans, predicted };
  });
  const earshotScore = scoreCorpus(earshot, entities);
  const baselineScore = scoreCorpus(baseline, entities);
  console.log(
    '\nAccuracy (percent; a hit is an overlapping span of the same entity; exact = same boundaries)',
  );
  console.log(
    scoreTable(
      entities,
      [
        ['earshot', earshotScore],
        ['redact-pii', baselineScore],
      ],
      gold,
    ),
  );
  console.log(
    '\nredact-pii: url counted as URL_CREDENTIALS, names as PERSON; its username, password, credentials and digits',
  );
  console.log(
    `redactors have no entity and are left out. Replay matched SyncRedactor.redact on ${corpus.length - inconsistent}/${corpus.length} texts.`,
  );
  if (SHOW_ERRORS > 0) {
    console.log(`\nearshot errors (first ${SHOW_ERRORS} per kind and entity):`);
    printErrors(corpus, earshot, SHOW_ERRORS);
  }

  console.log('\nearshot on 1 MB adversarial inputs');
  let worst = 0;
  for (const [name, text] of ADVERSARIAL_INPUTS) {
    const ms = timeOnce((t) => analyzer.analyze(t), text);
    worst = Math.max(worst, ms);
    console.log(`  ${name.padEnd(22)} ${ms.toFixed(1).padStart(10)} ms`);
  }
  console.log(`  ${'slowest'.padEnd(22)} ${worst.toFixed(1).padStart(10)} ms`);

  console.log('\nTargets');
  for (const t of checkTargets(earshotScore, entities, speedup)) {
    console.log(`  [${t.met ? 'met' : 'NOT MET'}] ${t.label.padEnd(36)} ${t.detail}`);
  }
}

main();
