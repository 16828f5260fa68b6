export interface ShapeLimits {
  /** Deepest nesting of objects and arrays in one event. */
  maxDepth: number;
  /** Longest string value (in UTF-16 units) in one event. */
  maxStringLength: number;
  /** Most attributes and array elements in one event, counted over every level. */
  maxNodes: number;
  /** Longest array in one event (an embedding of 4,096 dimensions fits). */
  maxArrayLength: number;
}

export const DEFAULT_SHAPE_LIMITS: ShapeLimits = {
  maxDepth: 32,
  maxStringLength: 65_536,
  maxNodes: 10_000,
  maxArrayLength: 4_096,
};

/**
 * Guards the detectors from pathological events (deep nesting, huge strings,
 * enormous objects) before any of them walks the event. Iterative so a deep
 * event cannot overflow the stack. Returns the problem or null.
 */
export function checkShape(value: unknown, limits: ShapeLimits): string | null {
  if (typeof value === 'string') return checkString(value, limits);
  const stack: Array<[object, number]> = [];
  if (value !== null && typeof value === 'object') stack.push([value, 1]);
  let nodes = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > limits.maxDepth) return `the event nests deeper than ${limits.maxDepth} levels`;
    if (Array.isArray(v) && v.length > limits.maxArrayLength) {
      return `an array has ${v.length} elements; the limit is ${limits.maxArrayLength}`;
    }
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    nodes += children.length;
    if (nodes > limits.maxNodes) return `the event has more than ${limits.maxNodes} attributes and elements`;
    for (const x of children) {
      if (typeof x === 'string') {
        const problem = checkString(x, limits);
        if (problem) return problem;
      } else if (x !== null && typeof x === 'object') stack.push([x, depth + 1]);
    }
  }
  return null;
}

function checkString(s: string, limits: ShapeLimits): string | null {
  return s.length > limits.maxStringLength
    ? `a string is ${s.length} characters long; the limit is ${limits.maxStringLength}`
    : null;
}
