import { safeToken } from '../../monitor/findings/safe-token.js';

/** One string value inside an event, with where it sits. */
export interface StringValue {
  /** Pointer with array indexes as `items` and unsafe keys hashed: matches contract governance keys. */
  attribute: string;
  /** Pointer with the real array indexes (keys hashed when unsafe), for evidence. */
  pointer: string;
  value: string;
  /** The object or array holding the value, and its key there, so a redactor can rewrite it. */
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

function escapeKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Every string value of an event, nested objects and arrays included, in
 * document order. Keys come from traffic, so those that are not plain
 * identifiers are hashed before they can reach a finding.
 */
export function stringValues(event: unknown): StringValue[] {
  const out: StringValue[] = [];
  const walk = (container: Record<string, unknown> | unknown[], attribute: string, pointer: string): void => {
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) visit(container, i, `${attribute}/items`, `${pointer}/${i}`);
      return;
    }
    for (const key of Object.keys(container)) {
      const k = escapeKey(safeToken(key));
      visit(container, key, `${attribute}/${k}`, `${pointer}/${k}`);
    }
  };
  const visit = (
    parent: Record<string, unknown> | unknown[],
    key: string | number,
    attribute: string,
    pointer: string,
  ): void => {
    const value = (parent as Record<string | number, unknown>)[key];
    if (typeof value === 'string') out.push({ attribute, pointer, value, parent, key });
    else if (value !== null && typeof value === 'object')
      walk(value as Record<string, unknown>, attribute, pointer);
  };
  if (event !== null && typeof event === 'object') walk(event as Record<string, unknown>, '', '');
  return out;
}
