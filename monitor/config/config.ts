import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import type { CompletenessConfig } from '../../detectors/completeness/completeness-detector.js';
import type { ConsentConfig } from '../../detectors/consent/consent-policy.js';
import type { ExperimentConfig, ExperimentSection } from '../../detectors/holdout/experiment-config.js';
import { parseExperiment } from '../../detectors/holdout/parse-experiment.js';
import type { PiiConfig } from '../../detectors/pii/pii-config.js';
import type { SchemaDriftConfig } from '../../detectors/schema-drift/schema-drift-detector.js';
import type { AuthConfig } from '../http/auth/auth-config.js';
import type { SheddingConfig } from '../http/load-shedding.js';
import type { EnvelopeFields } from '../pipeline/envelope.js';
import { CONFIG_SCHEMA } from './config-schema.js';
import { packageRoot } from './package-root.js';

export interface Config {
  server: { host: string; port: number; bodyLimitBytes: number; maxBatch: number; shedding: SheddingConfig };
  contracts: { dir: string };
  store: {
    url: string | null;
    dataDir: string;
    flushIntervalMs: number;
    windowSeconds: number;
    maxQueue: number;
    writeLogHours: number;
    spool: { enabled: boolean; dir: string | null; maxBytes: number };
  };
  sources: { nats: NatsSourceConfig };
  envelope: EnvelopeFields;
  limits: { maxDepth: number; maxStringLength: number; maxNodes: number; maxArrayLength: number };
  evaluateIntervalSeconds: number;
  snapshotIntervalSeconds: number;
  privacy: { hashSalt: string | null };
  log: { level: string };
  auth: AuthConfig;
  /** Holdout experiments from the config file, checked, with the sections as written. */
  experiments: Array<{ config: ExperimentConfig; section: ExperimentSection }>;
  detectors: {
    schema_drift: SchemaDriftConfig;
    completeness: CompletenessConfig;
    pii: PiiConfig;
    consent: ConsentConfig;
  };
}

export interface NatsSourceConfig {
  enabled: boolean;
  servers: string | string[];
  stream: string;
  subject: string;
  consumer: string;
  createStream: boolean;
  batch: number;
  fetchExpiresMs: number;
  ackWaitSeconds: number;
  maxDeliver: number;
  dedupMinutes: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const validate = new Ajv2020({ allErrors: true, useDefaults: true, strict: false }).compile(CONFIG_SCHEMA);

/** "/store/flushIntervalMs" -> "store.flushIntervalMs", the key as a user wrote it in YAML. */
function keyOf(e: ErrorObject): string {
  const base = e.instancePath.slice(1).replace(/\//g, '.');
  const extra =
    e.keyword === 'additionalProperties'
      ? String(e.params.additionalProperty)
      : e.keyword === 'required'
        ? String(e.params.missingProperty)
        : '';
  return [base, extra].filter(Boolean).join('.') || '(root)';
}

/** Environment variables win over the file; each maps to one key. */
function fromEnv(env: NodeJS.ProcessEnv, doc: Record<string, Record<string, unknown>>): void {
  const set = (section: string, key: string, value: unknown) => {
    doc[section] = { ...(doc[section] ?? {}), [key]: value };
  };
  if (env.EARSHOT_HOST) set('server', 'host', env.EARSHOT_HOST);
  const port = env.EARSHOT_PORT ?? env.PORT;
  if (port) set('server', 'port', /^\d+$/.test(port) ? Number(port) : port);
  if (env.DATABASE_URL) set('store', 'url', env.DATABASE_URL);
  if (env.EARSHOT_DATA_DIR) set('store', 'dataDir', env.EARSHOT_DATA_DIR);
  if (env.EARSHOT_SPOOL_DIR) {
    const spool = (doc.store?.spool ?? {}) as Record<string, unknown>;
    set('store', 'spool', { ...spool, dir: env.EARSHOT_SPOOL_DIR });
  }
  if (env.EARSHOT_NATS_URL) {
    const sources = (doc.sources ?? {}) as Record<string, Record<string, unknown>>;
    set('sources', 'nats', { ...(sources.nats ?? {}), enabled: true, servers: env.EARSHOT_NATS_URL });
  }
  if (env.EARSHOT_CONTRACTS_DIR) set('contracts', 'dir', env.EARSHOT_CONTRACTS_DIR);
  if (env.EARSHOT_LOG_LEVEL) set('log', 'level', env.EARSHOT_LOG_LEVEL);
  if (env.EARSHOT_HASH_SALT) set('privacy', 'hashSalt', env.EARSHOT_HASH_SALT);
}

/**
 * Builds the configuration from a document (a parsed config file, or {}) and
 * the environment, fills defaults and refuses a bad key with its name.
 */
export function buildConfig(doc: unknown, env: NodeJS.ProcessEnv = {}, source = 'configuration'): Config {
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`${source}: must be a mapping`);
  const copy = structuredClone(doc) as Record<string, Record<string, unknown>>;
  fromEnv(env, copy);
  if (!validate(copy)) {
    const lines = (validate.errors ?? []).map((e) =>
      e.keyword === 'additionalProperties' ? `${keyOf(e)}: unknown key` : `${keyOf(e)}: ${e.message}`,
    );
    throw new ConfigError(`${source} is invalid:\n  ${lines.join('\n  ')}`);
  }
  const config = copy as unknown as Config;
  config.experiments = readExperiments(copy.experiments as unknown as unknown[], source);
  config.contracts.dir = config.contracts.dir
    ? resolve(config.contracts.dir)
    : join(packageRoot(), 'contracts');
  return config;
}

/** The `experiments` list, each checked, with the key of any problem (`experiments[2].arms: ...`). */
function readExperiments(sections: unknown[], source: string): Config['experiments'] {
  const out: Config['experiments'] = [];
  const lines: string[] = [];
  for (const [i, section] of sections.entries()) {
    const parsed = parseExperiment(section);
    if (!parsed.ok) {
      const at = `experiments[${i}]`;
      for (const e of parsed.errors)
        lines.push(e.startsWith('(experiment)') ? at + e.slice(12) : `${at}.${e}`);
      continue;
    }
    if (out.some((x) => x.config.id === parsed.config.id)) {
      lines.push(`experiments[${i}].id: ${parsed.config.id} is defined twice`);
      continue;
    }
    out.push({ config: parsed.config, section: parsed.section });
  }
  if (lines.length > 0) throw new ConfigError(`${source} is invalid:\n  ${lines.join('\n  ')}`);
  return out;
}

/** Reads EARSHOT_CONFIG (or the given path) if any, then applies the environment. */
export async function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  path = env.EARSHOT_CONFIG,
): Promise<Config> {
  if (!path) return buildConfig({}, env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(err as Error).message}`);
  }
  return buildConfig(doc, env, `config file ${path}`);
}
