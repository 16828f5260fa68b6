import type { JsonSchema } from '../registry/contract.js';
import { type InferredFormat, preferredFormat } from './detect-format.js';
import { DEFAULT_LIMITS, type StatsLimits, ValueStats } from './value-stats.js';

export const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** Where a value sits, for callers that veto enums: the property key, and its pointer (null inside arrays). */
export interface Position {
  key: string;
  pointer: string | null;
}

/** How accumulated statistics become a schema. */
export interface RenderOptions {
  /** Allow attributes the sample never showed (open content model). Default false: closed. */
  additionalProperties: boolean;
  /** A string attribute becomes an enum when it has at most this many distinct values... */
  enumMaxValues: number;
  /** ...each seen at least this often... */
  enumMinOccurrences: number;
  /** ...and distinct values are at most this share of its samples (well below one per sample). */
  enumMaxDistinctShare: number;
  /** Numeric arrays of one fixed length at least this long are embeddings. */
  embeddingMinLength: number;
  /**
   * Declare `minimum: 0` on integer attributes never seen negative. Counts,
   * durations and sizes are integers that cannot go negative; a fractional
   * attribute (a score, a sentiment) seen only positive in a sample says
   * little about its range, so no bound is drawn for it, and no maximum ever.
   */
  minimumZero: boolean;
  /** Positions that must not become enums (identifiers, personal data); the enum would copy sample values. */
  noEnum: (at: Position) => boolean;
}

export const DEFAULT_RENDER: RenderOptions = {
  additionalProperties: false,
  enumMaxValues: 12,
  enumMinOccurrences: 2,
  enumMaxDistinctShare: 1 / 3,
  embeddingMinLength: 8,
  minimumZero: true,
  noEnum: () => false,
};

export type InferSchemaOptions = Partial<StatsLimits> & Partial<RenderOptions>;

/** An attribute reachable from the event root through objects only (so a JSON pointer names it). */
export interface ObservedAttribute {
  pointer: string;
  /** Keys from the root; the last one is the attribute's own name. */
  path: string[];
  stats: ValueStats;
  /** Format every string value matched, if any. */
  format: InferredFormat | undefined;
}

/** Defaults overridden by the options that are set; an option passed as undefined keeps its default. */
function withDefaults<T extends object>(defaults: T, options: Partial<T>): T {
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as Array<keyof T>) {
    if (options[key] !== undefined) out[key] = options[key] as T[keyof T];
  }
  return out;
}

export function pointerOf(path: string[]): string {
  return path.map((k) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Streams events into per-attribute statistics, one event at a time, with
 * memory bounded by StatsLimits rather than by the number of events.
 * Accumulators over parts of the traffic merge.
 */
export class SchemaAccumulator {
  readonly root = new ValueStats();
  readonly limits: StatsLimits;

  constructor(limits: Partial<StatsLimits> = {}) {
    this.limits = withDefaults(DEFAULT_LIMITS, limits);
  }

  observe(event: Record<string, unknown>): this {
    this.root.observe(event, this.limits);
    return this;
  }

  merge(other: SchemaAccumulator): this {
    this.root.merge(other.root, this.limits);
    return this;
  }

  /** Events observed. */
  get events(): number {
    return this.root.seen;
  }

  toSchema(options: Partial<RenderOptions> = {}): JsonSchema {
    const opts = withDefaults(DEFAULT_RENDER, options);
    return { $schema: JSON_SCHEMA_2020_12, ...render(this.root, { key: '', pointer: '' }, opts) };
  }

  /** Every attribute under objects only, depth first in the order first seen. */
  attributes(): ObservedAttribute[] {
    const out: ObservedAttribute[] = [];
    const walk = (node: ValueStats, path: string[]) => {
      for (const [key, stats] of node.properties ?? []) {
        const p = [...path, key];
        out.push({
          pointer: pointerOf(p),
          path: p,
          stats,
          format: stats.strings > 0 ? preferredFormat(stats.formats) : undefined,
        });
        walk(stats, p);
      }
    };
    walk(this.root, []);
    return out;
  }
}

function typesOf(n: ValueStats): string[] {
  const types: string[] = [];
  if (n.objects) types.push('object');
  if (n.arrays) types.push('array');
  if (n.strings) types.push('string');
  if (n.fractions) types.push('number');
  else if (n.integers) types.push('integer');
  if (n.booleans) types.push('boolean');
  if (n.nulls) types.push('null');
  return types;
}

function enumOf(n: ValueStats, at: Position, opts: RenderOptions): string[] | undefined {
  const onlyStrings = n.strings > 0 && n.strings === n.seen - n.nulls;
  if (!onlyStrings || n.values === null || opts.noEnum(at)) return undefined;
  if (preferredFormat(n.formats)) return undefined;
  const distinct = n.values.size;
  if (distinct === 0 || distinct > opts.enumMaxValues) return undefined;
  if (distinct > n.strings * opts.enumMaxDistinctShare) return undefined;
  for (const count of n.values.values()) if (count < opts.enumMinOccurrences) return undefined;
  return [...n.values.keys()].sort();
}

function isEmbedding(n: ValueStats, opts: RenderOptions): boolean {
  const items = n.items;
  return (
    items !== null &&
    items.seen === items.integers + items.fractions &&
    n.minLength === n.maxLength &&
    n.minLength >= opts.embeddingMinLength
  );
}

function render(n: ValueStats, at: Position, opts: RenderOptions): JsonSchema {
  const types = typesOf(n);
  if (n.opaque > 0 || types.length === 0) return {};
  const schema: JsonSchema = { type: types.length === 1 ? types[0] : types };

  if (n.strings) {
    const format = preferredFormat(n.formats);
    if (format) schema.format = format;
    const values = enumOf(n, at, opts);
    if (values) schema.enum = n.nulls ? [...values, null] : values;
  }

  if (n.integers && !n.fractions && opts.minimumZero && n.min >= 0) schema.minimum = 0;

  if (n.arrays) {
    if (isEmbedding(n, opts)) {
      schema.items = { type: 'number' };
      schema.minItems = n.minLength;
      schema.maxItems = n.maxLength;
    } else if (n.items) {
      schema.items = render(n.items, { key: at.key, pointer: null }, opts);
    }
  }

  if (n.objects) {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [key, child] of n.properties ?? []) {
      const pointer = at.pointer === null ? null : `${at.pointer}${pointerOf([key])}`;
      properties[key] = render(child, { key, pointer }, opts);
      if (child.seen === n.objects) required.push(key);
    }
    schema.properties = properties;
    if (required.length) schema.required = required;
    if (!opts.additionalProperties && !n.keysOverflow) schema.additionalProperties = false;
  }
  return schema;
}

/**
 * JSON Schema 2020-12 for the events: types per attribute (null included when
 * seen), `required` for attributes present in every event, nested objects and
 * array items, enums for low-cardinality strings, string formats every sample
 * matched, embeddings as fixed-length number arrays, closed objects by default.
 */
export function inferSchema(
  events: Iterable<Record<string, unknown>>,
  opts: InferSchemaOptions = {},
): JsonSchema {
  const acc = new SchemaAccumulator(opts);
  for (const e of events) acc.observe(e);
  return acc.toSchema(opts);
}
