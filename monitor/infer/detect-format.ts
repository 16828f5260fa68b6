import type { Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';

/** String formats a draft contract may declare, in the order a draft prefers them. */
export const INFERRED_FORMATS = ['date-time', 'date', 'uuid', 'email', 'ipv4', 'uri'] as const;
export type InferredFormat = (typeof INFERRED_FORMATS)[number];

/** Bit set over INFERRED_FORMATS: an accumulator keeps the formats every sample so far matched. */
export type FormatMask = number;
export const ALL_FORMATS: FormatMask = (1 << INFERRED_FORMATS.length) - 1;

/*
 * Each format is recognised in two steps. The shape check is stricter than
 * the format itself, so a draft only declares what a reader would call that
 * format (ajv's uri accepts "note:1", which is no URL anyone means). The ajv
 * check is the one the registry compiles with, so every sample the draft
 * was inferred from validates against it.
 */
const SHAPES: Record<InferredFormat, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  ipv4: /^\d{1,3}(\.\d{1,3}){3}$/,
  uri: /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/?#]+\S*$/,
};

function ajvAccepts(format: Format | undefined, s: string): boolean {
  if (format === undefined || format === true) return format === true;
  if (format instanceof RegExp) return format.test(s);
  if (typeof format === 'string') return new RegExp(format).test(s);
  if (typeof format === 'function') return format(s) as boolean;
  const v = format.validate;
  if (v instanceof RegExp) return v.test(s);
  if (typeof v === 'string') return new RegExp(v).test(s);
  return (v as (x: string) => boolean)(s);
}

function matches(name: InferredFormat, s: string): boolean {
  return SHAPES[name].test(s) && ajvAccepts(fullFormats[name], s);
}

/** The formats one string matches, as a mask; only formats still in `candidates` are tested. */
export function formatMask(s: string, candidates: FormatMask = ALL_FORMATS): FormatMask {
  let mask = 0;
  INFERRED_FORMATS.forEach((name, i) => {
    const bit = 1 << i;
    if (candidates & bit && matches(name, s)) mask |= bit;
  });
  return mask;
}

/** The preferred format in a mask, or undefined when none is left. */
export function preferredFormat(mask: FormatMask): InferredFormat | undefined {
  return INFERRED_FORMATS.find((_, i) => mask & (1 << i));
}

/** The format a single string has, if any (convenience over formatMask). */
export function detectFormat(s: string): InferredFormat | undefined {
  return preferredFormat(formatMask(s));
}
