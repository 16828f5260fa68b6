import type { ErrorObject } from 'ajv';
import { safeToken } from '../../monitor/findings/safe-token.js';
import { createAjv } from '../../monitor/registry/ajv.js';
import {
  EXPERIMENT_SCHEMA,
  type ExperimentConfig,
  type ExperimentSection,
  readExperiment,
} from './experiment-config.js';

/** One problem of a definition: where (the keys down to it; numbers index arrays) and why. */
export interface ExperimentProblem {
  path: Array<string | number>;
  reason: string;
}

export type ParsedExperiment =
  | { ok: true; config: ExperimentConfig; section: ExperimentSection }
  | { ok: false; errors: string[]; problems: ExperimentProblem[] };

const validate = createAjv().compile(EXPERIMENT_SCHEMA);

/**
 * ["metrics", 0, "type"] -> "metrics[0].type", the key as a user wrote it.
 * Keys come from the request or file: anything not a plain token (an e-mail
 * address or a phone number used as a name) is shown as its salted hash.
 */
export function keyText(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (key, part) =>
      typeof part === 'number' ? `${key}[${part}]` : key ? `${key}.${safeToken(part)}` : safeToken(part),
    '',
  );
}

/** The error's place in the section, with array indexes as numbers (told apart from keys by the section itself). */
function pathOf(e: ErrorObject, root: unknown): Array<string | number> {
  const path: Array<string | number> = [];
  let node: unknown = root;
  for (const raw of e.instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(node) ? Number(key) : null;
    path.push(index ?? key);
    node = index !== null ? (node as unknown[])[index] : (node as Record<string, unknown> | null)?.[key];
  }
  if (e.keyword === 'additionalProperties') path.push(String(e.params.additionalProperty));
  else if (e.keyword === 'required') path.push(String(e.params.missingProperty));
  if (e.propertyName !== undefined) path.push(e.propertyName);
  return path;
}

function reasonOf(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return 'unknown key';
  if (e.propertyName !== undefined) return `the name ${e.message}`;
  return e.message ?? 'is invalid';
}

/**
 * Where the section holds a number JSON cannot carry (1e999 parses as
 * Infinity): refused, since it could not be stored. Run after the schema,
 * so the section has its known, shallow shape.
 */
function nonFinite(value: unknown, path: Array<string | number>): Array<string | number> | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = nonFinite(v, [...path, Array.isArray(value) ? Number(k) : k]);
      if (found) return found;
    }
  }
  return null;
}

function failed(problems: ExperimentProblem[]): ParsedExperiment {
  const unique = new Map(problems.map((p) => [`${keyText(p.path) || '(experiment)'}: ${p.reason}`, p]));
  return { ok: false, errors: [...unique.keys()], problems: [...unique.values()] };
}

/**
 * An experiment section from a config file or a request body, checked
 * against its schema and then its rules, with every problem named by key.
 * The section is returned as given (defaults not filled in), which is what
 * the store keeps and `GET /v1/experiments/:id` shows.
 */
export function parseExperiment(section: unknown): ParsedExperiment {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    return failed([{ path: [], reason: 'must be a mapping' }]);
  }
  if (!validate(section)) {
    return failed(
      (validate.errors ?? [])
        // The wrapper of a bad name's own error ("property name must be valid"), which says less.
        .filter((e) => e.keyword !== 'propertyNames')
        .map((e) => ({ path: pathOf(e, section), reason: reasonOf(e) })),
    );
  }
  const infinite = nonFinite(section, []);
  if (infinite) return failed([{ path: infinite, reason: 'must be a finite number' }]);
  const s = section as ExperimentSection;
  const read = readExperiment(s);
  if (!read.ok) {
    const at = read.error.indexOf(': ');
    const key = read.error.slice(0, at);
    const path = key
      .split(/\.|\[(\d+)\]/)
      .filter((p): p is string => Boolean(p))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    return { ok: false, errors: [read.error], problems: [{ path, reason: read.error.slice(at + 2) }] };
  }
  return { ok: true, config: read.config, section: s };
}
