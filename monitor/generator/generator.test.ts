import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContractsDir } from '../registry/load-contracts.js';
import { ContractRegistry, type ResolvedContract } from '../registry/registry.js';
import { CATALOG, EVENT_TYPES } from './catalog.js';
import {
  FAULT_KINDS,
  type FaultKind,
  type GeneratedEvent,
  TrafficGenerator,
  writeNdjson,
} from './generator.js';

const START = new Date('2025-03-01T09:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let registry: ContractRegistry;
beforeAll(async () => {
  registry = new ContractRegistry();
  for (const { contract } of await loadContractsDir('contracts')) registry.add(contract);
});

function resolve(event: Record<string, unknown>): ResolvedContract {
  const r = registry.resolve(String(event.event_type), (event.schema_version as string | undefined) ?? null);
  if (!r.ok) throw new Error(`${String(event.event_type)}: ${r.kind}`);
  return r.resolved;
}

function keywords(e: GeneratedEvent): string[] {
  const resolved = resolve(e.event!);
  if (resolved.validate(e.event)) return [];
  return [...new Set((resolved.validate.errors ?? []).map((x) => x.keyword))];
}

function errorPaths(e: GeneratedEvent): string[] {
  const resolved = resolve(e.event!);
  resolved.validate(e.event);
  return (resolved.validate.errors ?? []).map((x) =>
    x.keyword === 'required' ? `/${String(x.params.missingProperty)}` : x.instancePath,
  );
}

function generate(n: number, faults: Partial<Record<FaultKind, number>> = {}, seed = 7): GeneratedEvent[] {
  return new TrafficGenerator({ seed, users: 200, start: START, eventsPerSecond: 10, faults }).batch(n);
}

describe('TrafficGenerator', () => {
  it('yields the same events for the same seed and other events for another seed', () => {
    const a = generate(2000, { missing_required: 0.05, pii_in_text: 0.05 }).map((e) => e.raw);
    const b = generate(2000, { missing_required: 0.05, pii_in_text: 0.05 }).map((e) => e.raw);
    const c = generate(2000, { missing_required: 0.05, pii_in_text: 0.05 }, 8).map((e) => e.raw);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('without faults, every event validates against the latest active version of its contract', () => {
    const events = generate(20_000);
    const seen = new Set<string>();
    for (const e of events) {
      expect(e.fault).toBeNull();
      expect(JSON.parse(e.raw)).toEqual(e.event);
      const r = registry.resolve(e.contract, (e.event!.schema_version as string | undefined) ?? null);
      expect(r.ok && !r.deprecated && r.resolved.contract.version).toBe(CATALOG[e.contract].active);
      const resolved = resolve(e.event!);
      expect(resolved.validate(e.event), `${e.raw} ${JSON.stringify(resolved.validate.errors)}`).toBe(true);
      seen.add(e.contract);
    }
    expect([...seen].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('spreads traffic over many users, all channels, speakers and languages, and spaces event time', () => {
    const events = generate(20_000).map((e) => e.event!);
    const messages = events.filter((e) => e.event_type === 'conversation.message');
    expect(new Set(events.map((e) => e.user_id)).size).toBeGreaterThan(150);
    expect(new Set(events.map((e) => e.channel)).size).toBe(6);
    expect(new Set(messages.map((e) => e.speaker))).toEqual(new Set(['customer', 'agent', 'bot']));
    expect(new Set(messages.map((e) => e.language)).size).toBe(5);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    for (const e of events) expect(e.event_id).toMatch(UUID);
    expect(events[0]!.occurred_at).toBe(START.toISOString());
    expect(events[10]!.occurred_at).toBe(new Date(START.getTime() + 1000).toISOString());
  });

  it('lets each conversation flow started -> messages -> ended, after the user consented', () => {
    const events = generate(20_000).map((e) => e.event!);
    const consented = new Set<unknown>();
    const phase = new Map<unknown, 'started' | 'ended'>();
    const lastTurn = new Map<unknown, number>();
    const messageIds = new Set<unknown>();
    let labels = 0;
    let conversions = 0;
    for (const e of events) {
      if (e.event_type === 'consent.updated') {
        consented.add(e.user_id);
        continue;
      }
      expect(consented.has(e.user_id), `${e.event_type} before consent`).toBe(true);
      const conv = e.conversation_id;
      switch (e.event_type) {
        case 'conversation.started':
          expect(phase.has(conv)).toBe(false);
          phase.set(conv, 'started');
          break;
        case 'conversation.message':
          expect(phase.get(conv)).toBe('started');
          expect(e.turn).toBe((lastTurn.get(conv) ?? 0) + 1);
          lastTurn.set(conv, e.turn as number);
          messageIds.add(e.event_id);
          break;
        case 'conversation.ended':
          expect(phase.get(conv)).toBe('started');
          expect(e.turns).toBe(lastTurn.get(conv));
          phase.set(conv, 'ended');
          break;
        case 'intent.label':
          expect(messageIds.has(e.message_id)).toBe(true);
          labels++;
          break;
        case 'conversion':
          expect(phase.get(conv)).toBe('ended');
          expect(['control', 'treatment']).toContain(e.arm);
          conversions++;
          break;
      }
    }
    expect(labels).toBeGreaterThan(50);
    expect(conversions).toBeGreaterThan(20);
  });

  it('labels some messages, with a classifier whose confidence matches its accuracy', () => {
    const events = generate(60_000).map((e) => e.event!);
    const confidence = new Map<unknown, number>();
    let sum = 0;
    let right = 0;
    let n = 0;
    for (const e of events) {
      if (e.event_type === 'conversation.message') confidence.set(e.event_id, e.intent_confidence as number);
      if (e.event_type !== 'intent.label') continue;
      sum += confidence.get(e.message_id)!;
      if (e.corrected_from === e.intent) right++;
      n++;
    }
    expect(n).toBeGreaterThan(1000);
    expect(Math.abs(right / n - sum / n)).toBeLessThan(0.03);
  });

  it('assigns experiment exposures to two arms', () => {
    const exposures = generate(20_000)
      .map((e) => e.event!)
      .filter((e) => e.event_type === 'experiment.exposure' && e.experiment_id === 'exp_proactive_offer');
    const treatment = exposures.filter((e) => e.arm === 'treatment').length;
    expect(exposures.length).toBeGreaterThan(100);
    expect(treatment / exposures.length).toBeGreaterThan(0.35);
    expect(treatment / exposures.length).toBeLessThan(0.65);
  });

  it('injects faults at about their rate and keeps the traffic underneath unchanged', () => {
    const clean = generate(10_000);
    const faulty = generate(10_000, { unknown_version: 0.1 });
    const share = faulty.filter((e) => e.fault === 'unknown_version').length / faulty.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    expect(faulty.map((e) => e.contract)).toEqual(clean.map((e) => e.contract));
  });

  it('moves a fault drawn for an event it does not fit to the next event it fits', () => {
    const events = generate(20_000, { pii_in_text: 0.1 });
    const pii = events.filter((e) => e.fault === 'pii_in_text');
    expect(pii.every((e) => e.contract === 'conversation.message')).toBe(true);
    expect(pii.length / events.length).toBeGreaterThan(0.09);
    expect(pii.length / events.length).toBeLessThan(0.11);
  });
});

describe.each(FAULT_KINDS)('fault %s at rate 1', (kind) => {
  const events = () => generate(1500, { [kind]: 1 });

  it('breaks every event it fits in the way it names', () => {
    const all = events();
    const faulted = all.filter((e) => e.fault === kind);
    expect(faulted.length).toBeGreaterThan(100);
    for (const e of all) {
      if (e.fault === null) {
        // Only consent events (and, for PII, events without free text) are spared.
        expect(e.contract === 'consent.updated' || kind === 'pii_in_text').toBe(true);
        continue;
      }
      check(kind, e);
    }
  });
});

function check(kind: FaultKind, e: GeneratedEvent): void {
  const why = `${kind}: ${e.raw}`;
  switch (kind) {
    case 'malformed_json':
      expect(() => JSON.parse(e.raw), why).toThrow();
      expect(e.expectedKind).toBe('malformed');
      return;
    case 'not_an_object': {
      const v: unknown = JSON.parse(e.raw);
      expect(v === null || typeof v !== 'object', why).toBe(true);
      expect(e.expectedKind).toBe('malformed');
      return;
    }
    default:
      expect(JSON.parse(e.raw)).toEqual(e.event);
  }
  const event = e.event!;
  switch (kind) {
    case 'missing_event_type':
      expect(event).not.toHaveProperty('event_type');
      expect(e.expectedKind).toBe('malformed');
      return;
    case 'unknown_contract': {
      const r = registry.resolve(String(event.event_type), null);
      expect(!r.ok && r.kind).toBe('unknown_contract');
      return;
    }
    case 'unknown_version': {
      const r = registry.resolve(e.contract, String(event.schema_version));
      expect(event.schema_version).toBe('9.9.9');
      expect(!r.ok && r.kind).toBe('unknown_version');
      return;
    }
    case 'deprecated_version': {
      const r = registry.resolve(e.contract, String(event.schema_version));
      expect(r.ok && r.deprecated, why).toBe(true);
      expect(keywords(e), why).toEqual([]);
      return;
    }
    case 'missing_required':
    case 'type_mismatch':
    case 'enum_violation':
    case 'format_violation': {
      const expected = {
        missing_required: 'required',
        type_mismatch: 'type',
        enum_violation: 'enum',
        format_violation: 'format',
      }[kind];
      expect(keywords(e), why).toEqual([expected]);
      expect(new Set(errorPaths(e)), why).toEqual(new Set([e.attribute]));
      expect(e.expectedKind).toBe(kind);
      return;
    }
    case 'unknown_attribute': {
      const resolved = resolve(event);
      const key = e.attribute!.slice(1);
      expect(resolved.declared.has(key)).toBe(false);
      // Closed contracts refuse it; the open one accepts it and schema drift reports it.
      expect(keywords(e), why).toEqual(CATALOG[e.contract].closed ? ['additionalProperties'] : []);
      return;
    }
    case 'null_attribute': {
      const resolved = resolve(event);
      expect(keywords(e), why).toEqual([]);
      expect(Object.keys(resolved.contract.quality?.completeness ?? {})).toContain(e.attribute);
      expect(event[e.attribute!.slice(1)] ?? null).toBeNull();
      expect(e.expectedKind).toBe('completeness_drop');
      return;
    }
    case 'pii_in_text':
      expect(keywords(e), why).toEqual([]);
      expect(String(event[e.attribute!.slice(1)])).toMatch(
        /[\w.]+@[\w.]+\.\w+|\+1 415 555 \d{4}|\d{4} \d{4,6} \d{4,5}/,
      );
      expect(e.expectedKind).toBe('pii_leak');
      return;
  }
}

describe('writeNdjson', () => {
  it('writes one line per event and counts the faults', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const summary = await writeNdjson(
      { count: 2500, seed: 3, start: START, faults: { malformed_json: 0.1, enum_violation: 0.1 } },
      out,
    );
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2500);
    expect(summary.count).toBe(2500);
    const broken = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(summary.faults.malformed_json);
    expect(summary.faults.enum_violation).toBeGreaterThan(150);
    expect(summary.faults.missing_required).toBe(0);
  });
});
