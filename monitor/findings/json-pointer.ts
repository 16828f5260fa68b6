/** JSON pointers (RFC 6901): how findings and contracts name attributes. */

/** The keys a pointer walks, unescaped: "/a~1b/c" -> ["a/b", "c"]; "" -> []. */
export function pointerKeys(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Appends one key, escaped: ("/a", "b/c") -> "/a/b~1c". */
export function childPointer(pointer: string, key: string): string {
  return `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The value at a key path, or undefined when the path leaves the objects. */
export function valueAtKeys(root: unknown, keys: readonly string[]): unknown {
  let cur: unknown = root;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function valueAtPointer(root: unknown, pointer: string): unknown {
  return valueAtKeys(root, pointerKeys(pointer));
}
