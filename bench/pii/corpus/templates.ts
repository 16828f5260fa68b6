import type { Sample } from './compose.js';
import type { Rng } from './prng.js';

/**
 * Builds one text of a family. The generator cycles through a family's
 * templates; `round` counts how often this template has run, so a template
 * steps through its formats (card styles, countries, date layouts) in turn.
 */
export type Template = (r: Rng, round: number) => Sample;

/** The `i`-th item of a list, cycling. */
export function nth<T>(items: readonly T[], i: number): T {
  return items[i % items.length]!;
}
