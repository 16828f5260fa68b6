import { safeToken } from '../findings/safe-token.js';
import {
  childPointer,
  directions,
  narrowing,
  type SchemaChange,
  unproven,
  widening,
} from './compat-change.js';
import { deepEqual, isPlainObject, show } from './compat-json.js';

type Schema = Record<string, unknown>;
export type Compare = (older: unknown, newer: unknown, pointer: string) => SchemaChange[];

/** Keywords handled by compareObjectKeywords. */
export const OBJECT_KEYWORDS = [
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
] as const;

/** Where the value of one property name is constrained, on one side. */
type Slot =
  | { from: 'properties' | 'patternProperties' | 'additionalProperties'; schema: unknown }
  | { from: 'unknown' };

function propsOf(schema: Schema): Record<string, unknown> | undefined {
  const p = schema.properties ?? {};
  return isPlainObject(p) ? p : undefined;
}

function patternsOf(schema: Schema): Record<string, unknown> | undefined {
  const p = schema.patternProperties ?? {};
  return isPlainObject(p) ? p : undefined;
}

/** additionalProperties, `true` when absent: the open content model. */
function additionalOf(schema: Schema): unknown {
  return 'additionalProperties' in schema ? schema.additionalProperties : true;
}

function isAnything(schema: unknown): boolean {
  return schema === true || (isPlainObject(schema) && Object.keys(schema).length === 0);
}

/**
 * The schema a property name falls under when the side does not declare it:
 * the one patternProperties entry that matches it, else additionalProperties.
 * Several matching patterns (their conjunction) are not analysed.
 */
function undeclaredSlot(schema: Schema, patterns: Record<string, unknown>, name: string): Slot {
  const matching: unknown[] = [];
  for (const [pattern, sub] of Object.entries(patterns)) {
    try {
      if (new RegExp(pattern, 'u').test(name)) matching.push(sub);
    } catch {
      return { from: 'unknown' };
    }
  }
  if (matching.length > 1) return { from: 'unknown' };
  if (matching.length === 1) return { from: 'patternProperties', schema: matching[0] };
  return { from: 'additionalProperties', schema: additionalOf(schema) };
}

function slotWording(slot: Slot, side: 'earlier' | 'newer'): string {
  if (slot.from === 'unknown') return `the ${side} schema matched it with several patternProperties`;
  if (slot.from === 'patternProperties') return `the ${side} schema constrained it through patternProperties`;
  if (slot.schema === false) return `the ${side} schema refused it (closed content model)`;
  if (isAnything(slot.schema)) return `the ${side} schema accepted any value there (open content model)`;
  return `the ${side} schema constrained it through additionalProperties`;
}

function addedOrRemoved(
  compare: Compare,
  pointer: string,
  name: string,
  older: unknown,
  newer: unknown,
  slot: Slot,
  change: 'property_added' | 'property_removed',
): SchemaChange {
  const side = change === 'property_added' ? 'earlier' : 'newer';
  const detail = `property "${safeToken(name)}" ${change === 'property_added' ? 'added' : 'removed'}; ${slotWording(slot, side)}`;
  if (slot.from === 'unknown') return unproven(pointer, change, detail, 'properties');
  const flags = directions(compare(older, newer, pointer));
  return { pointer, change, detail, ...flags, keyword: 'properties' };
}

function requiredOf(schema: Schema): string[] | undefined {
  const r = schema.required ?? [];
  return Array.isArray(r) && r.every((x) => typeof x === 'string') ? r : undefined;
}

/**
 * properties, patternProperties, additionalProperties and required, as one
 * partition of property names: names both sides declare are compared
 * recursively; a name one side declares is compared with the schema the
 * other side applies to it (additionalProperties or a matching pattern):
 * that is what makes adding a property backward-safe only in a closed
 * content model and removing it backward-safe only in an open one. Names
 * neither side declares are covered by comparing additionalProperties.
 */
export function compareObjectKeywords(
  older: Schema,
  newer: Schema,
  pointer: string,
  compare: Compare,
): SchemaChange[] {
  if (OBJECT_KEYWORDS.every((k) => deepEqual(older[k], newer[k]))) return [];
  const out: SchemaChange[] = [];
  const oProps = propsOf(older);
  const nProps = propsOf(newer);
  const oPat = patternsOf(older);
  const nPat = patternsOf(newer);
  if (!oProps || !nProps || !oPat || !nPat) {
    return [
      unproven(
        pointer,
        'keyword_changed',
        'cannot prove compatibility of malformed properties',
        'properties',
      ),
    ];
  }
  if (!deepEqual(oPat, nPat)) {
    out.push(
      unproven(
        pointer,
        'pattern_properties_changed',
        'cannot prove compatibility of patternProperties change',
        'patternProperties',
      ),
    );
  }

  const names = [...Object.keys(oProps), ...Object.keys(nProps).filter((k) => !Object.hasOwn(oProps, k))];
  for (const name of names) {
    const at = childPointer(pointer, name);
    const inOld = Object.hasOwn(oProps, name);
    const inNew = Object.hasOwn(nProps, name);
    if (inOld && inNew) {
      out.push(...compare(oProps[name], nProps[name], at));
    } else if (inNew) {
      const slot = undeclaredSlot(older, oPat, name);
      const from = slot.from === 'unknown' ? undefined : slot.schema;
      out.push(addedOrRemoved(compare, at, name, from, nProps[name], slot, 'property_added'));
    } else {
      const slot = undeclaredSlot(newer, nPat, name);
      const to = slot.from === 'unknown' ? undefined : slot.schema;
      out.push(addedOrRemoved(compare, at, name, oProps[name], to, slot, 'property_removed'));
    }
  }

  out.push(...compareRequired(older, newer, pointer));
  out.push(...compareAdditional(older, newer, pointer, compare));
  return out;
}

function compareRequired(older: Schema, newer: Schema, pointer: string): SchemaChange[] {
  const o = requiredOf(older);
  const n = requiredOf(newer);
  if (!o || !n) {
    if (deepEqual(older.required, newer.required)) return [];
    return [
      unproven(pointer, 'keyword_changed', 'cannot prove compatibility of malformed required', 'required'),
    ];
  }
  const out: SchemaChange[] = [];
  for (const name of n) {
    if (!o.includes(name)) {
      out.push(
        narrowing(
          childPointer(pointer, name),
          'required_added',
          `attribute "${safeToken(name)}" became required`,
          'required',
        ),
      );
    }
  }
  for (const name of o) {
    if (!n.includes(name)) {
      out.push(
        widening(
          childPointer(pointer, name),
          'required_removed',
          `attribute "${safeToken(name)}" is no longer required`,
          'required',
        ),
      );
    }
  }
  return out;
}

function compareAdditional(older: Schema, newer: Schema, pointer: string, compare: Compare): SchemaChange[] {
  const o = additionalOf(older);
  const n = additionalOf(newer);
  if (deepEqual(o, n) || (isAnything(o) && isAnything(n))) return [];
  const keyword = 'additionalProperties';
  if (isAnything(o) && n === false) {
    return [
      narrowing(pointer, 'content_model_closed', 'undeclared properties are no longer accepted', keyword),
    ];
  }
  if (o === false && isAnything(n)) {
    return [widening(pointer, 'content_model_opened', 'undeclared properties are now accepted', keyword)];
  }
  const flags = directions(compare(o, n, childPointer(pointer, '*')));
  return [
    {
      pointer,
      change: 'additional_properties_changed',
      detail: `additionalProperties changed from ${show(o)} to ${show(n)}`,
      ...flags,
      keyword,
    },
  ];
}
