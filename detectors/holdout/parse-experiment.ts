import type { ErrorObject } from 'ajv';
import { createAjv } from '../../monitor/registry/ajv.js';
import {
  EXPERIMENT_SCHEMA,
  type ExperimentConfig,
  type ExperimentSection,
  readExperiment,
} from './experiment-config.js';

export type ParsedExperiment =
  | { ok: true; config: ExperimentConfig; section: ExperimentSection }
  | { ok: false; errors: string[] };

const validate = createAjv().compile(EXPERIMENT_SCHEMA);

/** "/metrics/0/type" -> "metrics[0].type", the key as a user wrote it. */
function keyOf(e: ErrorObject): string {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((key, part) => (/^\d+$/.test(part) ? `${key}[${part}]` : key ? `${key}.${part}` : part), '');
  const extra =
    e.keyword === 'additionalProperties'
      ? String(e.params.additionalProperty)
      : e.keyword === 'required'
        ? String(e.params.missingProperty)
        : '';
  return [path, extra].filter(Boolean).join('.') || '(experiment)';
}

/**
 * An experiment section from a config file or a request body, checked
 * against its schema and then its rules, with every problem named by key.
 * The section is returned as given (defaults not filled in), which is what
 * the store keeps and `GET /v1/experiments/:id` shows.
 */
export function parseExperiment(section: unknown): ParsedExperiment {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    return { ok: false, errors: ['(experiment): must be a mapping'] };
  }
  if (!validate(section)) {
    const errors = (validate.errors ?? [])
      // The wrapper of a bad name's own error ("property name must be valid"), which says less.
      .filter((e) => e.keyword !== 'propertyNames')
      .map((e) =>
        e.keyword === 'additionalProperties'
          ? `${keyOf(e)}: unknown key`
          : e.propertyName !== undefined
            ? `${keyOf(e)}.${e.propertyName}: the name ${e.message}`
            : `${keyOf(e)}: ${e.message}`,
      );
    return { ok: false, errors: [...new Set(errors)] };
  }
  const s = section as ExperimentSection;
  const read = readExperiment(s);
  if (!read.ok) return { ok: false, errors: [read.error] };
  return { ok: true, config: read.config, section: s };
}
