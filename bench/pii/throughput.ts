import { performance } from 'node:perf_hooks';

/** Timing helpers for the PII benchmark: fixed-time rates and adversarial inputs. */

/**
 * Consecutive `size`-character texts cut from the corpus texts joined by
 * newlines (never inside a surrogate pair). Each is a flat copy, as a text
 * parsed from a JSON request body is: a slice would keep pointing into the
 * joined stream, and V8 reads such strings more slowly.
 */
export function fixedLengthTexts(texts: readonly string[], size: number): string[] {
  const stream = texts.join('\n');
  const out: string[] = [];
  let at = 0;
  while (at + size <= stream.length) {
    let end = at + size;
    const last = stream.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end++;
    out.push(JSON.parse(JSON.stringify(stream.slice(at, end))) as string);
    at = end;
  }
  return out;
}

/**
 * Texts per second of `fn` cycling over `texts` for `seconds`, after a warm-up
 * of a fifth of that (JIT, caches). The clock is read every 16 calls.
 */
export function textsPerSecond(
  texts: readonly string[],
  fn: (text: string) => unknown,
  seconds: number,
): number {
  const n = texts.length;
  const run = (ms: number): [count: number, elapsed: number] => {
    const t0 = performance.now();
    const deadline = t0 + ms;
    let count = 0;
    let now = t0;
    while (now < deadline) {
      for (let k = 0; k < 16; k++) {
        fn(texts[(count + k) % n]!);
      }
      count += 16;
      now = performance.now();
    }
    return [count, now - t0];
  };
  run(seconds * 200);
  const [count, elapsed] = run(seconds * 1000);
  return count / (elapsed / 1000);
}

export interface AlternatingRates {
  /** Texts per second of each function, one entry per round. */
  rates: number[][];
  /** The median of each function's rounds. */
  medians: number[];
  /** Per round, the first function's rate over the second's; the median of those. */
  medianRatio: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Texts per second of each function, measured in `rounds` alternating
 * rounds of `seconds` each: the machine's speed drifts (other processes,
 * CPU frequency), and alternation makes each round's ratio compare the two
 * under the same conditions; medians drop the outlying rounds. One
 * untimed round runs first: measured, it ran both functions below their
 * steady speed (the JIT still compiling them), the larger one more.
 */
export function alternatingRates(
  texts: readonly string[],
  fns: ReadonlyArray<(text: string) => unknown>,
  seconds: number,
  rounds: number,
): AlternatingRates {
  const rates = fns.map(() => [] as number[]);
  for (const fn of fns) textsPerSecond(texts, fn, seconds);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < fns.length; i++) rates[i]!.push(textsPerSecond(texts, fns[i]!, seconds));
  }
  const ratios = rates[0]!.map((r, k) => r / (rates[1]?.[k] ?? r));
  return { rates, medians: rates.map(median), medianRatio: median(ratios) };
}

const MB = 1 << 20;

function fill(unit: string): string {
  return unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
}

/** 1 MB inputs built to make naive patterns backtrack or rescan. */
export const ADVERSARIAL_INPUTS: ReadonlyArray<readonly [name: string, text: string]> = [
  ['one character (a)', fill('a')],
  ['one digit (1)', fill('1')],
  ['1-1-1-...', fill('1-')],
  ['1 1 1 ...', fill('1 ')],
  ['1.1.1.1...', fill('1.')],
  ['a@a@a@...', fill('a@')],
  ['aaaa.aaaa. ...', fill('aaaa.')],
  ['one one one ...', fill('one ')],
  [':// repeated', fill('://')],
  ['long digit run', fill('0123456789')],
  ['Aa Aa Aa ...', fill('Aa ')],
  ['spaces', fill(' ')],
  ['a:a:a:...', fill('a:')],
];

/** Milliseconds one call of `fn` takes on `text`. */
export function timeOnce(fn: (text: string) => unknown, text: string): number {
  const t0 = performance.now();
  fn(text);
  return performance.now() - t0;
}

export interface StageCost {
  name: string;
  /** Mean microseconds per text. */
  micros: number;
}

/**
 * Where a detector's time goes: mean µs per text of each stage over `rounds`
 * passes of `texts`, after one warm-up pass. `prepare` runs untimed per text
 * (e.g. a fresh TextView), so stages do not share caches across texts.
 */
export function stageCosts<P>(
  texts: readonly string[],
  prepare: (text: string) => P,
  stages: ReadonlyArray<readonly [name: string, run: (prepared: P) => unknown]>,
  rounds: number,
): StageCost[] {
  const totals = stages.map(() => 0);
  for (let round = 0; round <= rounds; round++) {
    for (const text of texts) {
      stages.forEach(([, run], i) => {
        const prepared = prepare(text);
        const t0 = performance.now();
        run(prepared);
        if (round > 0) totals[i]! += performance.now() - t0;
      });
    }
  }
  const n = texts.length * rounds;
  return stages.map(([name], i) => ({ name, micros: (totals[i]! * 1000) / n }));
}
