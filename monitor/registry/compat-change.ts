/**
 * One difference between two versions of a contract schema, and what it does
 * to each direction of compatibility. The flags are sound, never optimistic:
 * a flag is true only when the comparison proves it; when unsure it is false.
 */
export interface SchemaChange {
  /**
   * JSON pointer into the event ("" for the root, "/customer/email"). Array
   * elements add the segment "items" ("/tags/items/label"), so a property that
   * is itself named "items" reads the same way: look at `keyword` and `detail`.
   */
  pointer: string;
  /** Kind of change: property_added, type_narrowed, bound_tightened, ... */
  change: string;
  /** A sentence a contract author can act on. Holds schema content only, never event data. */
  detail: string;
  /** Every event valid under the older schema is still valid under the newer one. */
  backward: boolean;
  /** Every event valid under the newer schema is still valid under the older one. */
  forward: boolean;
  /** The JSON Schema keyword the change is about, when there is one. */
  keyword?: string;
}

type Make = (pointer: string, change: string, detail: string, keyword?: string) => SchemaChange;

function maker(backward: boolean, forward: boolean): Make {
  return (pointer, change, detail, keyword) => ({
    pointer,
    change,
    detail,
    backward,
    forward,
    ...(keyword ? { keyword } : {}),
  });
}

/** The newer schema accepts less: older events may be refused. */
export const narrowing = maker(false, true);
/** The newer schema accepts more: newer events may be refused by the older schema. */
export const widening = maker(true, false);
/** Neither direction can be proven. */
export const unproven = maker(false, false);
/** Both directions hold (annotations, equivalent rewrites). */
export const neutral = maker(true, true);

/** Both directions of a set of changes: each holds only if it holds for every change. */
export function directions(changes: readonly SchemaChange[]): { backward: boolean; forward: boolean } {
  return {
    backward: changes.every((c) => c.backward),
    forward: changes.every((c) => c.forward),
  };
}

/** One JSON pointer segment (RFC 6901 escaping). */
export function childPointer(pointer: string, segment: string): string {
  return `${pointer}/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
