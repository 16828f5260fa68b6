import { chat, email, type Sample, social, transcript } from './compose.js';
import { SPOKEN_DISTRACTORS, WRITTEN_DISTRACTORS } from './distractors.js';
import { NAME_WORD_SENTENCES } from './people.js';
import type { Rng } from './prng.js';
import { nth } from './templates.js';

/** Texts with no PII at all, only look-alikes, in every channel. */

function written(r: Rng, n: number, first: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(nth(WRITTEN_DISTRACTORS, first + i * r.int(1, 7))(r));
  return out;
}

function spoken(r: Rng, n: number, first: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(nth(SPOKEN_DISTRACTORS, first + i * r.int(1, 9))(r));
  return out;
}

/** The `i`-th negative text: each distractor family comes first in turn, so all get used. */
export function negativeSample(r: Rng, i: number): Sample {
  switch (i % 5) {
    case 0:
      // Every names-as-words sentence ("Will you", "Bill me", "Mark it resolved") gets its turn.
      return chat([
        `Customer: ${nth(NAME_WORD_SENTENCES, Math.floor(i / 5))} ${written(r, 1, i)[0]}\nAgent: Sure, noted.`,
      ]);
    case 1:
      return chat([`Customer: ${written(r, r.int(1, 2), i).join(' ')}\nAgent: Thanks, I'll look into it.`]);
    case 2:
      return email([`Subject: Update\n\nHi team,\n\n${written(r, r.int(2, 3), i).join('\n')}\n\nThanks`]);
    case 3:
      return social([`@ExampleCo ${written(r, 1, i)[0]} #support`]);
    default:
      return transcript([spoken(r, r.int(2, 3), i).join('\n')]);
  }
}

/** A positive text with look-alikes around it, so detectors must tell the two apart in one text. */
export function mixedSample(r: Rng, positive: Sample, i: number): Sample {
  if (positive.channel === 'transcript') {
    return { channel: 'transcript', pieces: [`${spoken(r, 1, i)[0]}\n`, ...positive.pieces] };
  }
  const [before, after] = written(r, 2, i);
  const sep = positive.channel === 'email' ? '\n\n' : positive.channel === 'chat' ? '\n' : ' ';
  return { channel: positive.channel, pieces: [`${before}${sep}`, ...positive.pieces, `${sep}${after}`] };
}
