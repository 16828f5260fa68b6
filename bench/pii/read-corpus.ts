import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../monitor/config/package-root.js';
import type { CorpusText } from './corpus/compose.js';

/** Where the corpus lives, relative to the package root (the same from sources and from dist/). */
export const CORPUS_PATH = join('bench', 'pii', 'corpus.jsonl');

export function corpusFile(): string {
  return join(packageRoot(), CORPUS_PATH);
}

/** The checked-in corpus, one text per line. */
export function readCorpus(path = corpusFile()): CorpusText[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as CorpusText);
}
