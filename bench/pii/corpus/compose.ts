import type { PiiEntity } from '../../../detectors/pii/entities.js';

/** Where a text came from; transcripts are lowercase with numbers as words. */
export type Channel = 'chat' | 'email' | 'social' | 'transcript';

export interface GoldSpan {
  entity: PiiEntity;
  start: number;
  end: number;
}

/** One corpus line. */
export interface CorpusText {
  id: string;
  channel: Channel;
  text: string;
  spans: GoldSpan[];
}

/** A value the generator inserts and labels; its span is wherever it lands. */
export interface Pii {
  entity: PiiEntity;
  value: string;
}

export type Piece = string | Pii;

export function pii(entity: PiiEntity, value: string): Pii {
  return { entity, value };
}

/** A text template whose `${}` holes take plain strings or labelled values. */
export function t(strings: TemplateStringsArray, ...holes: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < strings.length; i++) {
    if (strings[i]) out.push(strings[i]!);
    if (i < holes.length) out.push(holes[i]!);
  }
  return out;
}

/**
 * Joins the pieces into one text and labels each inserted value at the offset
 * it was written to: the gold spans come from construction, never from a
 * detector.
 */
export function compose(pieces: readonly Piece[]): { text: string; spans: GoldSpan[] } {
  let text = '';
  const spans: GoldSpan[] = [];
  for (const p of pieces) {
    if (typeof p === 'string') {
      text += p;
      continue;
    }
    spans.push({ entity: p.entity, start: text.length, end: text.length + p.value.length });
    text += p.value;
  }
  return { text, spans };
}

/** Lowercases every piece, labelled values included (ASCII: lengths are kept). */
export function lowercase(pieces: readonly Piece[]): Piece[] {
  return pieces.map((p) =>
    typeof p === 'string' ? p.toLowerCase() : { entity: p.entity, value: p.value.toLowerCase() },
  );
}

/** One generated text before it gets an id. */
export interface Sample {
  channel: Channel;
  pieces: Piece[];
}

export const chat = (pieces: Piece[]): Sample => ({ channel: 'chat', pieces });
export const email = (pieces: Piece[]): Sample => ({ channel: 'email', pieces });
export const social = (pieces: Piece[]): Sample => ({ channel: 'social', pieces });
/** Transcripts are lowercased as speech-to-text writes them; numbers must already be words. */
export const transcript = (pieces: Piece[]): Sample => ({ channel: 'transcript', pieces: lowercase(pieces) });
