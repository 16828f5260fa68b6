import type { AttributeGovernance, Contract, JsonSchema } from '../registry/contract.js';
import { CONTRACT_FORMAT_SCHEMA } from '../registry/contract-format.js';
import { type InferSchemaOptions, SchemaAccumulator } from './infer-schema.js';
import { isIdentifierKey, piiHint, piiKindByName } from './pii-hints.js';

export interface InferContractOptions extends InferSchemaOptions {
  /** Contract name for events that carry no event type. */
  name?: string;
  version?: string;
  owner?: string;
  /** Envelope field naming the event type (DESIGN.md: configurable). */
  eventTypeField?: string;
  /** Event types drafted at most (default 100); events of further types are counted, not kept. */
  maxEventTypes?: number;
}

export interface Draft {
  contract: Contract;
  /** Sample events it was inferred from. */
  events: number;
}

export interface InferredContracts {
  /** One draft per event type, by name. */
  drafts: Draft[];
  /** What the caller should tell the user: counts and names only, never event content. */
  warnings: string[];
}

/** The traffic cannot give a contract (no events, bad version, no usable name). */
export class InferError extends Error {
  override name = 'InferError';
}

const NAME_PATTERN = new RegExp(CONTRACT_FORMAT_SCHEMA.properties.contract.pattern);
const VERSION_PATTERN = new RegExp(CONTRACT_FORMAT_SCHEMA.properties.version.pattern);

/** An event type quoted in a message only when it looks like one, so odd payloads are never echoed. */
function quoteType(t: string): string {
  return /^[\w.:-]{1,64}$/.test(t) ? `"${t}"` : 'an event type';
}

/**
 * Drafts contracts from sample traffic, one event at a time: events are
 * grouped by event type and each group streams into its own schema
 * accumulator, so a large file passes through in bounded memory.
 */
export class ContractInferrer {
  private readonly byType = new Map<string, SchemaAccumulator>();
  private readonly untyped: SchemaAccumulator;
  private readonly field: string;
  private readonly maxTypes: number;
  /** Events whose type came after maxEventTypes others. */
  private overflow = 0;

  constructor(private readonly options: InferContractOptions = {}) {
    this.field = options.eventTypeField ?? 'event_type';
    this.maxTypes = options.maxEventTypes ?? 100;
    this.untyped = new SchemaAccumulator(options);
  }

  observe(event: Record<string, unknown>): this {
    const type = event[this.field];
    if (typeof type !== 'string') {
      this.untyped.observe(event);
      return this;
    }
    let acc = this.byType.get(type);
    if (!acc) {
      if (this.byType.size >= this.maxTypes) {
        this.overflow++;
        return this;
      }
      acc = new SchemaAccumulator(this.options);
      this.byType.set(type, acc);
    }
    acc.observe(event);
    return this;
  }

  merge(other: ContractInferrer): this {
    this.untyped.merge(other.untyped);
    this.overflow += other.overflow;
    for (const [type, theirs] of other.byType) {
      const mine = this.byType.get(type);
      if (mine) mine.merge(theirs);
      else if (this.byType.size >= this.maxTypes) this.overflow += theirs.events;
      else this.byType.set(type, new SchemaAccumulator(this.options).merge(theirs));
    }
    return this;
  }

  get events(): number {
    let n = this.untyped.events + this.overflow;
    for (const acc of this.byType.values()) n += acc.events;
    return n;
  }

  /** The drafts. Throws InferError when there is nothing to draft from or the options are unusable. */
  result(): InferredContracts {
    const version = this.options.version ?? '0.1.0';
    const owner = this.options.owner ?? 'unknown@example.com';
    if (!VERSION_PATTERN.test(version)) throw new InferError(`version "${version}" is not a semver version`);
    if (this.events === 0) throw new InferError('no events to infer a contract from');
    const name = this.options.name;
    if (name !== undefined && !NAME_PATTERN.test(name)) {
      throw new InferError(`name "${name}" is not a valid contract name (lower-case words joined by dots)`);
    }

    const warnings: string[] = [];
    const drafts: Draft[] = [];
    for (const [type, acc] of [...this.byType].sort(([a], [b]) => a.localeCompare(b))) {
      if (!NAME_PATTERN.test(type)) {
        warnings.push(`${quoteType(type)} (${acc.events} events) is not a valid contract name; skipped`);
        continue;
      }
      drafts.push({ contract: draft(acc, type, type, version, owner, this.options), events: acc.events });
    }
    const untyped = this.untyped.events;
    if (untyped > 0) {
      if (this.byType.size === 0 && name !== undefined) {
        drafts.push({
          contract: draft(this.untyped, name, null, version, owner, this.options),
          events: untyped,
        });
      } else if (this.byType.size === 0) {
        throw new InferError(`events carry no ${this.field}; give the contract a name`);
      } else {
        warnings.push(`${untyped} events without a string ${this.field} were left out`);
      }
    }
    if (this.overflow > 0) {
      warnings.push(`${this.overflow} events of more than ${this.maxTypes} event types were left out`);
    }
    if (name !== undefined && this.byType.size > 0) {
      warnings.push(`name "${name}" not used: contracts are named after the events' ${this.field}`);
    }
    if (drafts.length === 0) throw new InferError('no event type gives a valid contract name');
    return { drafts, warnings };
  }
}

function draft(
  acc: SchemaAccumulator,
  name: string,
  eventType: string | null,
  version: string,
  owner: string,
  options: InferContractOptions,
): Contract {
  const schema = acc.toSchema({
    ...options,
    noEnum: (at) =>
      isIdentifierKey(at.key) || piiKindByName([at.key]) !== undefined || (options.noEnum?.(at) ?? false),
  });
  if (eventType !== null) {
    const properties = schema.properties as Record<string, JsonSchema>;
    properties[options.eventTypeField ?? 'event_type'] = { type: 'string', const: eventType };
  }

  const attributes: Record<string, AttributeGovernance> = {};
  const completeness: Record<string, number> = {};
  const events = acc.events;
  for (const attr of acc.attributes()) {
    const hint = piiHint(attr);
    if (hint) attributes[attr.pointer] = hint;
    const nonNull = attr.stats.nonNull;
    // Rounded down, so the traffic the draft came from meets its own minimum.
    const share = Math.floor((nonNull * 100) / events) / 100;
    if (nonNull < events && share > 0) completeness[attr.pointer] = share;
  }

  const contract: Contract = {
    contract: name,
    version,
    status: 'draft',
    owner,
    compatibility: 'backward',
    description: `Draft inferred from ${events} sample events: review types, enums, formats and personal-data hints before activating.`,
    purposes: [],
    schema,
    attributes,
  };
  if (Object.keys(completeness).length > 0) contract.quality = { completeness };
  return contract;
}

/**
 * Draft contracts from sample events, one per event type (a file mixing
 * types gives several). Status draft, compatibility backward, no purposes;
 * personal-data hints and completeness minimums from what was observed.
 */
export function inferContract(
  events: Iterable<Record<string, unknown>>,
  options: InferContractOptions = {},
): Contract[] {
  const inferrer = new ContractInferrer(options);
  for (const e of events) inferrer.observe(e);
  return inferrer.result().drafts.map((d) => d.contract);
}
