import { safeToken } from '../findings/safe-token.js';
import { narrowing, type SchemaChange, unproven, widening } from './compat-change.js';
import { deepEqual, jsonKind, show } from './compat-json.js';

/**
 * Comparisons of the keywords that constrain one value on its own: type,
 * enum/const, format, numeric and length bounds, multipleOf, uniqueItems,
 * pattern. Each keyword is compared on its own; since a schema is the
 * conjunction of its keywords, a keyword-by-keyword proof is a proof for the
 * whole schema (it may miss compatibilities, it never invents one).
 */

type Schema = Record<string, unknown>;

const ALL_KINDS = ['null', 'boolean', 'object', 'array', 'string', 'integer', 'fraction'] as const;

/** The value kinds `type` admits (every kind when absent); undefined when `type` is malformed. */
export function admittedKinds(schema: Schema): Set<string> | undefined {
  if (!('type' in schema)) return new Set(ALL_KINDS);
  const raw = schema.type;
  const names = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
  if (!names) return undefined;
  const kinds = new Set<string>();
  for (const name of names) {
    if (name === 'number') {
      kinds.add('integer');
      kinds.add('fraction');
    } else if (typeof name === 'string' && (ALL_KINDS as readonly string[]).includes(name)) {
      kinds.add(name);
    } else {
      return undefined;
    }
  }
  return kinds;
}

function subset(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function showType(schema: Schema): string {
  return 'type' in schema ? show(schema.type) : 'any';
}

export function compareType(older: Schema, newer: Schema, pointer: string): SchemaChange[] {
  if (deepEqual(older.type, newer.type)) return [];
  const o = admittedKinds(older);
  const n = admittedKinds(newer);
  const detail = `type changed from ${showType(older)} to ${showType(newer)}`;
  if (!o || !n) return [unproven(pointer, 'type_changed', `cannot prove compatibility: ${detail}`, 'type')];
  const widened = subset(o, n);
  const narrowed = subset(n, o);
  if (widened && narrowed) return [];
  if (widened)
    return [
      widening(pointer, 'type_widened', `type widened from ${showType(older)} to ${showType(newer)}`, 'type'),
    ];
  if (narrowed)
    return [
      narrowing(
        pointer,
        'type_narrowed',
        `type narrowed from ${showType(older)} to ${showType(newer)}`,
        'type',
      ),
    ];
  return [unproven(pointer, 'type_changed', detail, 'type')];
}

/**
 * The finite set of values a schema admits through enum/const, keeping only
 * those its `type` admits too; undefined when it has neither keyword.
 */
export function finiteValues(schema: Schema): unknown[] | undefined {
  let values: unknown[] | undefined;
  if ('const' in schema) values = [schema.const];
  if (Array.isArray(schema.enum)) {
    const listed = schema.enum as unknown[];
    values = values ? values.filter((v) => listed.some((e) => deepEqual(e, v))) : listed;
  }
  if (!values) return undefined;
  const kinds = admittedKinds(schema);
  return kinds ? values.filter((v) => kinds.has(jsonKind(v))) : values;
}

const has = (values: unknown[], v: unknown) => values.some((x) => deepEqual(x, v));

/**
 * enum and const, as one finite value set. When both schemas have one, their
 * `type` is folded in (values the type refuses are dropped) and the type
 * comparison is skipped by the caller: the value sets say it all.
 */
export function compareValues(older: Schema, newer: Schema, pointer: string): SchemaChange[] {
  const o = finiteValues(older);
  const n = finiteValues(newer);
  const keyword = 'const' in newer || 'const' in older ? 'const' : 'enum';
  if (!o && !n) return [];
  if (!o && n) return [narrowing(pointer, 'enum_added', `values restricted to ${show(n)}`, keyword)];
  if (o && !n)
    return [widening(pointer, 'enum_removed', `values no longer restricted to ${show(o)}`, keyword)];
  const out: SchemaChange[] = [];
  for (const v of n!) {
    if (!has(o!, v))
      out.push(widening(pointer, 'enum_value_added', `value ${show(v)} became allowed`, keyword));
  }
  for (const v of o!) {
    if (!has(n!, v))
      out.push(narrowing(pointer, 'enum_value_removed', `value ${show(v)} was removed`, keyword));
  }
  return out;
}

export function compareFormat(older: Schema, newer: Schema, pointer: string): SchemaChange[] {
  const o = older.format;
  const n = newer.format;
  if (deepEqual(o, n)) return [];
  if (o === undefined) return [narrowing(pointer, 'format_added', `format ${show(n)} added`, 'format')];
  if (n === undefined) return [widening(pointer, 'format_removed', `format ${show(o)} removed`, 'format')];
  return [unproven(pointer, 'format_changed', `format changed from ${show(o)} to ${show(n)}`, 'format')];
}

interface Limit {
  value: number;
  exclusive: boolean;
}

/** The effective lower (or upper) numeric limit: the tighter of the inclusive and exclusive keywords. */
function limit(schema: Schema, side: 'lower' | 'upper'): Limit | null | undefined {
  const [inc, exc] = side === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
  const candidates: Limit[] = [];
  for (const [key, exclusive] of [
    [inc, false],
    [exc, true],
  ] as const) {
    if (!(key in schema)) continue;
    const value = schema[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    candidates.push({ value, exclusive });
  }
  const sign = side === 'lower' ? 1 : -1;
  let best: Limit | null = null;
  for (const c of candidates) {
    if (!best || sign * c.value > sign * best.value || (c.value === best.value && c.exclusive)) best = c;
  }
  return best;
}

/** Whether limit a admits strictly fewer numbers than b on that side (null = no limit). */
function tighter(a: Limit | null, b: Limit | null, side: 'lower' | 'upper'): boolean {
  if (!a) return false;
  if (!b) return true;
  const sign = side === 'lower' ? 1 : -1;
  return sign * a.value > sign * b.value || (a.value === b.value && a.exclusive && !b.exclusive);
}

function showLimit(l: Limit | null, side: 'lower' | 'upper'): string {
  if (!l) return 'none';
  return `${side === 'lower' ? '>' : '<'}${l.exclusive ? '' : '='} ${l.value}`;
}

function compareLimits(
  older: Schema,
  newer: Schema,
  pointer: string,
  side: 'lower' | 'upper',
): SchemaChange[] {
  const o = limit(older, side);
  const n = limit(newer, side);
  const keyword = side === 'lower' ? 'minimum' : 'maximum';
  if (o === undefined || n === undefined) {
    const keys = side === 'lower' ? ['minimum', 'exclusiveMinimum'] : ['maximum', 'exclusiveMaximum'];
    if (keys.every((k) => deepEqual(older[k], newer[k]))) return [];
    return [
      unproven(pointer, 'keyword_changed', `cannot prove compatibility of ${side} bound change`, keyword),
    ];
  }
  const text = `${side} bound changed from ${showLimit(o, side)} to ${showLimit(n, side)}`;
  if (tighter(n, o, side)) return [narrowing(pointer, 'bound_tightened', `${text}`, keyword)];
  if (tighter(o, n, side)) return [widening(pointer, 'bound_loosened', `${text}`, keyword)];
  return [];
}

const COUNT_BOUNDS = [
  ['minLength', 'maxLength', 'length'],
  ['minItems', 'maxItems', 'number of items'],
  ['minProperties', 'maxProperties', 'number of properties'],
] as const;

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function compareCount(
  older: Schema,
  newer: Schema,
  pointer: string,
  key: string,
  what: string,
  side: 'min' | 'max',
): SchemaChange[] {
  const o = older[key];
  const n = newer[key];
  if (deepEqual(o, n)) return [];
  if ((o !== undefined && !isCount(o)) || (n !== undefined && !isCount(n))) {
    return [
      unproven(pointer, 'keyword_changed', `cannot prove compatibility of ${safeToken(key)} change`, key),
    ];
  }
  const absent = side === 'min' ? 0 : Number.POSITIVE_INFINITY;
  const ov = (o as number | undefined) ?? absent;
  const nv = (n as number | undefined) ?? absent;
  const text = `${side === 'min' ? 'minimum' : 'maximum'} ${what} changed from ${o ?? 'none'} to ${n ?? 'none'}`;
  const tightened = side === 'min' ? nv > ov : nv < ov;
  if (ov === nv) return [];
  return tightened
    ? [narrowing(pointer, 'bound_tightened', text, key)]
    : [widening(pointer, 'bound_loosened', text, key)];
}

function compareMultipleOf(older: Schema, newer: Schema, pointer: string): SchemaChange[] {
  const o = older.multipleOf;
  const n = newer.multipleOf;
  if (deepEqual(o, n)) return [];
  const text = `multipleOf changed from ${o ?? 'none'} to ${n ?? 'none'}`;
  if (o === undefined) return [narrowing(pointer, 'bound_tightened', text, 'multipleOf')];
  if (n === undefined) return [widening(pointer, 'bound_loosened', text, 'multipleOf')];
  if (typeof o === 'number' && typeof n === 'number' && o > 0 && n > 0) {
    const wholeRatio = (a: number, b: number) => Math.abs(a / b - Math.round(a / b)) < 1e-9;
    // A multiple of n is a multiple of o when n is itself a multiple of o.
    if (wholeRatio(n, o)) return [narrowing(pointer, 'bound_tightened', text, 'multipleOf')];
    if (wholeRatio(o, n)) return [widening(pointer, 'bound_loosened', text, 'multipleOf')];
  }
  return [unproven(pointer, 'multiple_of_changed', text, 'multipleOf')];
}

function compareUnique(older: Schema, newer: Schema, pointer: string): SchemaChange[] {
  const o = older.uniqueItems === true;
  const n = newer.uniqueItems === true;
  if (o === n) return [];
  return n
    ? [narrowing(pointer, 'bound_tightened', 'array items must now be unique', 'uniqueItems')]
    : [widening(pointer, 'bound_loosened', 'array items no longer need to be unique', 'uniqueItems')];
}

function comparePattern(older: Schema, newer: Schema, pointer: string): SchemaChange[] {
  const o = older.pattern;
  const n = newer.pattern;
  if (deepEqual(o, n)) return [];
  if (o === undefined) return [narrowing(pointer, 'bound_tightened', `pattern ${show(n)} added`, 'pattern')];
  if (n === undefined) return [widening(pointer, 'bound_loosened', `pattern ${show(o)} removed`, 'pattern')];
  return [unproven(pointer, 'pattern_changed', `pattern changed from ${show(o)} to ${show(n)}`, 'pattern')];
}

/** Keywords handled by compareBounds. */
export const BOUND_KEYWORDS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'uniqueItems',
  'pattern',
] as const;

/** Numeric limits, lengths and counts, multipleOf, uniqueItems, pattern. */
export function compareBounds(older: Schema, newer: Schema, pointer: string): SchemaChange[] {
  const out = [
    ...compareLimits(older, newer, pointer, 'lower'),
    ...compareLimits(older, newer, pointer, 'upper'),
    ...compareMultipleOf(older, newer, pointer),
  ];
  for (const [min, max, what] of COUNT_BOUNDS) {
    out.push(...compareCount(older, newer, pointer, min, what, 'min'));
    out.push(...compareCount(older, newer, pointer, max, what, 'max'));
  }
  out.push(...compareUnique(older, newer, pointer), ...comparePattern(older, newer, pointer));
  return out;
}
