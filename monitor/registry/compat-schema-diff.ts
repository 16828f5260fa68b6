import { safeToken } from '../findings/safe-token.js';
import {
  childPointer,
  directions,
  narrowing,
  neutral,
  type SchemaChange,
  unproven,
  widening,
} from './compat-change.js';
import { deepEqual, isPlainObject } from './compat-json.js';
import {
  BOUND_KEYWORDS,
  compareBounds,
  compareFormat,
  compareType,
  compareValues,
  finiteValues,
} from './compat-keywords.js';
import { compareObjectKeywords, OBJECT_KEYWORDS } from './compat-objects.js';
import type { JsonSchema } from './contract.js';

type Schema = Record<string, unknown>;

/** Keywords with no effect on validation. `$id` counts: versions often embed their number in it. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$id',
]);

const isAnnotation = (k: string) => ANNOTATIONS.has(k) || k.startsWith('x-');

/** Keywords compared precisely, here or in compat-keywords / compat-objects. */
const ANALYSED = new Set<string>([
  'type',
  'enum',
  'const',
  'format',
  'items',
  ...BOUND_KEYWORDS,
  ...OBJECT_KEYWORDS,
]);

const COMPOSITION = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas']);
const REFERENCE = new Set(['$ref', '$dynamicRef', '$defs', 'definitions', '$anchor', '$dynamicAnchor']);

/** A schema that accepts every value: `true`, `{}` or annotations only. */
function acceptsAnything(schema: unknown): boolean {
  return schema === true || (isPlainObject(schema) && Object.keys(schema).every(isAnnotation));
}

/**
 * Compares two JSON Schemas (2020-12) as validators of one event and lists
 * what changed, each with whether it keeps backward compatibility (the newer
 * schema accepts every event the older one accepted) and forward
 * compatibility (the older schema accepts every event the newer one accepts).
 * Whatever is not analysed (oneOf/anyOf/allOf/not/if, $ref and $defs,
 * prefixItems, contains, unevaluated*, unknown keywords) is reported, when it
 * differs, as a change that keeps neither direction.
 */
export function compareSchemas(older: JsonSchema, newer: JsonSchema): SchemaChange[] {
  return compareNode(older, newer, '');
}

function compareNode(older: unknown, newer: unknown, pointer: string): SchemaChange[] {
  if (deepEqual(older, newer)) return [];
  if (older === false && newer === false) return [];
  if (older === false) {
    return [widening(pointer, 'value_allowed', 'a value the earlier schema refused is now allowed')];
  }
  if (newer === false) {
    return [narrowing(pointer, 'value_forbidden', 'a value the earlier schema allowed is now refused')];
  }
  const o: Schema | undefined = older === true ? {} : isPlainObject(older) ? older : undefined;
  const n: Schema | undefined = newer === true ? {} : isPlainObject(newer) ? newer : undefined;
  if (!o || !n)
    return [unproven(pointer, 'schema_changed', 'cannot prove compatibility of a malformed schema')];

  const out = [...compareKeywords(o, n, pointer)];
  // Whatever the details, a schema that accepted anything accepts what the
  // new one does, and one that accepts anything accepts what the old one did.
  if (acceptsAnything(o)) for (const c of out) c.forward = true;
  if (acceptsAnything(n)) for (const c of out) c.backward = true;
  return out;
}

function compareKeywords(o: Schema, n: Schema, pointer: string): SchemaChange[] {
  const out: SchemaChange[] = [];
  const bothFinite = finiteValues(o) !== undefined && finiteValues(n) !== undefined;
  if (!bothFinite) out.push(...compareType(o, n, pointer));
  out.push(...compareValues(o, n, pointer));
  out.push(...compareFormat(o, n, pointer));
  out.push(...compareBounds(o, n, pointer));
  out.push(...compareObjectKeywords(o, n, pointer, compareNode));
  out.push(...compareItems(o, n, pointer));

  const annotations: string[] = [];
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])];
  for (const key of keys) {
    if (ANALYSED.has(key) || deepEqual(o[key], n[key])) continue;
    if (isAnnotation(key)) annotations.push(key);
    else if (COMPOSITION.has(key)) {
      out.push(
        unproven(
          pointer,
          'composition_changed',
          // A keyword of the fixed set, shown as it is.
          `cannot prove compatibility of ${key} change`,
          key,
        ),
      );
    } else if (REFERENCE.has(key)) {
      out.push(unproven(pointer, 'reference_changed', `cannot prove compatibility of ${key} change`, key));
    } else {
      out.push(
        unproven(pointer, 'keyword_changed', `cannot prove compatibility of ${safeToken(key)} change`, key),
      );
    }
  }
  if (annotations.length > 0) {
    out.push(neutral(pointer, 'annotation_changed', `annotations changed: ${annotations.join(', ')}`));
  }
  return out;
}

/**
 * `items` (2020-12: one schema for every element). Element changes carry the
 * pointer of the array plus "/items". Items appearing or disappearing is
 * summarised as one items_changed; otherwise the element schemas are compared
 * in detail.
 */
function compareItems(o: Schema, n: Schema, pointer: string): SchemaChange[] {
  if (deepEqual(o.items, n.items)) return [];
  const at = childPointer(pointer, 'items');
  const oi = 'items' in o ? o.items : true;
  const ni = 'items' in n ? n.items : true;
  const valid = (s: unknown) => typeof s === 'boolean' || isPlainObject(s);
  if (!valid(oi) || !valid(ni)) {
    return [unproven(at, 'items_changed', 'cannot prove compatibility of items change', 'items')];
  }
  if (!('items' in o) || !('items' in n)) {
    const detail = 'items' in n ? 'array items became constrained' : 'array items are no longer constrained';
    return [
      {
        pointer: at,
        change: 'items_changed',
        detail,
        ...directions(compareNode(oi, ni, at)),
        keyword: 'items',
      },
    ];
  }
  return compareNode(oi, ni, at);
}
