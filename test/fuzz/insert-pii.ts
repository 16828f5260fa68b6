import fc from 'fast-check';

/** Where a value goes into a document: as a key, as a whole value, or inside a string value. */
export type Placement = 'key' | 'value' | 'inside';

export interface Insertion {
  placement: Placement;
  /** Picks the object or leaf, modulo how many there are. */
  at: number;
}

export const insertionArb: fc.Arbitrary<Insertion> = fc.record({
  placement: fc.constantFrom('key', 'value', 'inside'),
  at: fc.nat(),
});

type Container = Record<string, unknown> | unknown[];

function containers(value: unknown, out: Container[] = []): Container[] {
  if (value === null || typeof value !== 'object') return out;
  out.push(value as Container);
  for (const v of Object.values(value)) containers(v, out);
  return out;
}

/**
 * A copy of a JSON document with `raw` put in: a key of one of its objects, a
 * value of one of its keys or elements, or spliced into a string there. A
 * document that is not an object or an array becomes `raw` (or holds it).
 */
export function insertPii(doc: unknown, raw: string, insertions: readonly Insertion[]): unknown {
  let copy: unknown = structuredClone(doc);
  for (const { placement, at } of insertions) {
    const all = containers(copy);
    if (all.length === 0) {
      copy = placement === 'inside' && typeof copy === 'string' ? `${copy} ${raw} ` : raw;
      continue;
    }
    const target = all[at % all.length]!;
    const keys = Object.keys(target);
    if (placement === 'key' || keys.length === 0) {
      if (Array.isArray(target)) target.push({ [raw]: raw });
      else
        Object.defineProperty(target, raw, {
          value: true,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      continue;
    }
    const key = keys[at % keys.length]!;
    const holder = target as Record<string, unknown>;
    const old = holder[key];
    holder[key] = placement === 'inside' && typeof old === 'string' ? `${old}. ${raw}. ${old}` : raw;
  }
  return copy;
}
