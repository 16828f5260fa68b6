import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/**
 * Mutations of a shipped contract: keys removed, renamed, added, values
 * replaced by values of another type, then written back as YAML or JSON
 * (or the YAML text itself edited), so most documents are near-valid.
 */

export const BASE_PATH = 'contracts/conversation.message/1.0.0.yaml';
export const SHIPPED_PATH = 'contracts/conversation.message/1.1.0.yaml';
export const BASE_TEXT = readFileSync(BASE_PATH, 'utf8');
export const SHIPPED_TEXT = readFileSync(SHIPPED_PATH, 'utf8');
const SHIPPED_DOC = parseYaml(SHIPPED_TEXT) as Record<string, unknown>;

type Path = Array<string | number>;
type Node = Record<string | number, unknown>;

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    const p = [...prefix, Array.isArray(value) ? Number(k) : k];
    out.push(p);
    paths(v, p, out);
  }
  return out;
}

function parentOf(root: unknown, path: Path): Node | null {
  let node = root;
  for (const k of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Node)[k];
  }
  return node !== null && typeof node === 'object' ? (node as Node) : null;
}

export interface Mutation {
  op: 'remove' | 'retype' | 'rename' | 'add';
  at: number;
  key: string;
  value: unknown;
}

/** Keys a contract author might write, right or wrong, and random ones. */
const keyArb = fc.oneof(
  fc.constantFrom(
    'contract',
    'version',
    'status',
    'owner',
    'schema',
    'compatibility',
    'attributes',
    'quality',
    'monitors',
    'type',
    'properties',
    'required',
    '$ref',
    '$id',
    'pii',
    'redact',
    '/text',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 12 }),
);

/** Values of the types a YAML or JSON document can hold, and some the contract keys expect. */
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    'object',
    'active',
    'retired',
    'backward',
    'none',
    '1.0.0',
    '1.1.0-rc.1',
    '',
    -1,
    1e308,
    true,
    null,
    [],
    {},
    { type: 'object' },
    { type: 'string', pattern: '(' },
    { $ref: '#/nowhere' },
    { type: 'numeric' },
  ),
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('remove', 'retype', 'rename', 'add'),
  at: fc.nat(),
  key: keyArb,
  value: valueArb,
});

/** The shipped document with the mutations applied in order (a fresh copy). */
export function mutate(mutations: readonly Mutation[]): Record<string, unknown> {
  const doc = structuredClone(SHIPPED_DOC);
  for (const m of mutations) {
    const all = paths(doc);
    if (all.length === 0) break;
    const path = all[m.at % all.length]!;
    const parent = parentOf(doc, path);
    if (!parent) continue;
    const last = path[path.length - 1]!;
    if (m.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (m.op === 'retype') {
      parent[last] = structuredClone(m.value);
    } else if (m.op === 'rename' && !Array.isArray(parent)) {
      const v = parent[last];
      delete parent[last];
      Object.defineProperty(parent, m.key, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      const target = parent[last];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, m.key, {
          value: structuredClone(m.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return doc;
}

/** A mutated contract as text: YAML, JSON, or the shipped YAML edited character by character. */
export const contractTextArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([ms, json]) => (json ? JSON.stringify(mutate(ms)) : stringifyYaml(mutate(ms)))),
  fc
    .array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: 'binary', maxLength: 3 })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((edits) => {
      let text = SHIPPED_TEXT;
      for (const [at, cut, insert] of edits) {
        const i = at % (text.length + 1);
        text = text.slice(0, i) + insert + text.slice(i + cut);
      }
      return text;
    }),
);
