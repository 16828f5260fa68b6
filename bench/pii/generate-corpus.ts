/**
 * Writes bench/pii/corpus.jsonl: conversation-like texts (chat turns, emails,
 * social posts, call transcripts) with the PII spans they hold, for the
 * accuracy benchmark. Run with `npm run build && node
 * dist/bench/pii/generate-corpus.js`. Seeded, so the file is the same on
 * every run; labels come from where values are inserted, never from a
 * detector.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PiiEntity } from '../../detectors/pii/entities.js';
import { type CorpusText, compose, type Sample } from './corpus/compose.js';
import { mixedSample, negativeSample } from './corpus/negatives.js';
import { EMAIL_TEMPLATES, PERSON_TEMPLATES, PHONE_TEMPLATES } from './corpus/positives-contact.js';
import { CARD_TEMPLATES, CRYPTO_TEMPLATES, IBAN_TEMPLATES } from './corpus/positives-finance.js';
import {
  DOB_TEMPLATES,
  NINO_TEMPLATES,
  PASSPORT_TEMPLATES,
  SSN_TEMPLATES,
} from './corpus/positives-identity.js';
import {
  ADDRESS_TEMPLATES,
  IP_TEMPLATES,
  POSTCODE_TEMPLATES,
  URL_CREDENTIALS_TEMPLATES,
} from './corpus/positives-location.js';
import { Rng } from './corpus/prng.js';
import type { Template } from './corpus/templates.js';
import { corpusFile } from './read-corpus.js';

export const CORPUS_SEED = 20240611;
/** Texts written around each entity (more texts hold it: others carry it along). */
export const POSITIVES_PER_ENTITY = 32;
export const NEGATIVES = 300;
export const MIXED = 120;

export const TEMPLATES: Readonly<Record<PiiEntity, readonly Template[]>> = {
  EMAIL_ADDRESS: EMAIL_TEMPLATES,
  PHONE_NUMBER: PHONE_TEMPLATES,
  CREDIT_CARD: CARD_TEMPLATES,
  IBAN_CODE: IBAN_TEMPLATES,
  US_SSN: SSN_TEMPLATES,
  IP_ADDRESS: IP_TEMPLATES,
  PERSON: PERSON_TEMPLATES,
  ADDRESS: ADDRESS_TEMPLATES,
  POSTCODE: POSTCODE_TEMPLATES,
  DATE_OF_BIRTH: DOB_TEMPLATES,
  UK_NINO: NINO_TEMPLATES,
  PASSPORT: PASSPORT_TEMPLATES,
  CRYPTO: CRYPTO_TEMPLATES,
  URL_CREDENTIALS: URL_CREDENTIALS_TEMPLATES,
};

function sampleOf(r: Rng, templates: readonly Template[], i: number): Sample {
  return templates[i % templates.length]!(r, Math.floor(i / templates.length));
}

function record(id: string, sample: Sample): CorpusText {
  const { text, spans } = compose(sample.pieces);
  return { id, channel: sample.channel, text, spans };
}

/** Draws again while the text is one the corpus already holds (a duplicate would weigh twice). */
function unique(seen: Set<string>, id: string, make: () => Sample): CorpusText {
  for (;;) {
    const rec = record(id, make());
    if (!seen.has(rec.text)) {
      seen.add(rec.text);
      return rec;
    }
  }
}

/** The whole corpus, in a seeded shuffled order. */
export function generateCorpus(seed = CORPUS_SEED): CorpusText[] {
  const r = new Rng(seed);
  const out: CorpusText[] = [];
  const seen = new Set<string>();
  const entities = Object.keys(TEMPLATES) as PiiEntity[];
  for (const entity of entities) {
    for (let i = 0; i < POSITIVES_PER_ENTITY; i++) {
      out.push(unique(seen, `pos-${entity.toLowerCase()}-${i}`, () => sampleOf(r, TEMPLATES[entity], i)));
    }
  }
  for (let i = 0; i < NEGATIVES; i++) out.push(unique(seen, `neg-${i}`, () => negativeSample(r, i)));
  for (let i = 0; i < MIXED; i++) {
    const entity = entities[i % entities.length]!;
    out.push(
      unique(seen, `mix-${entity.toLowerCase()}-${i}`, () =>
        mixedSample(r, sampleOf(r, TEMPLATES[entity], r.int(0, 60)), i),
      ),
    );
  }
  return r.shuffle(out);
}

/** One JSON object per line, keys in a fixed order. */
export function toJsonl(corpus: readonly CorpusText[]): string {
  return corpus
    .map((c) =>
      JSON.stringify({
        id: c.id,
        channel: c.channel,
        text: c.text,
        spans: c.spans.map((s) => ({ entity: s.entity, start: s.start, end: s.end })),
      }),
    )
    .join('\n')
    .concat('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const corpus = generateCorpus();
  const path = corpusFile();
  writeFileSync(path, toJsonl(corpus));
  console.log(`wrote ${corpus.length} texts to ${path}`);
}
