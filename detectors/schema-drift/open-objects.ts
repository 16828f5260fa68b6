import type { JsonSchema } from '../../monitor/registry/contract.js';

/** An object in the schema whose content model is open: extra attributes there are drift, not violations. */
export interface OpenObject {
  /** Property names to walk from the event root to reach it. */
  path: string[];
  pointer: string;
  declared: Set<string>;
}

/** Open only when undeclared keys are unconstrained: a schema-valued additionalProperties is a map the contract allows. */
function isOpen(schema: JsonSchema): boolean {
  const extra = schema.additionalProperties;
  const unevaluated = schema.unevaluatedProperties;
  return (extra === undefined || extra === true) && (unevaluated === undefined || unevaluated === true);
}

/**
 * Lists the open objects reachable through `properties`, computed once per
 * contract version so the hot path only walks the keys of those objects.
 */
export function openObjects(schema: JsonSchema, path: string[] = []): OpenObject[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const out: OpenObject[] = [];
  if (isOpen(schema) && !schema.patternProperties) {
    out.push({ path, pointer: path.map((p) => `/${p}`).join(''), declared: new Set(Object.keys(props)) });
  }
  for (const [name, sub] of Object.entries(props)) {
    if (sub && typeof sub === 'object' && (sub.type === 'object' || sub.properties)) {
      out.push(...openObjects(sub, [...path, name]));
    }
  }
  return out;
}
