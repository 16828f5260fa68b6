import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../registry/contract.js';
import { loadContractsDir } from '../registry/load-contracts.js';
import { CATALOG, ENVELOPE_KEYS, EVENT_TYPES } from './catalog.js';

interface Prop {
  type?: string | string[];
  enum?: unknown[];
}

let contracts: Contract[] = [];
beforeAll(async () => {
  contracts = (await loadContractsDir('contracts')).map((l) => l.contract);
});

function version(type: string, v: string): Contract {
  const c = contracts.find((x) => x.contract === type && x.version === v);
  if (!c) throw new Error(`no ${type} ${v} in contracts/`);
  return c;
}

function props(c: Contract): Record<string, Prop> {
  return c.schema.properties as Record<string, Prop>;
}

function types(p: Prop | undefined): string[] {
  return p?.type === undefined ? [] : Array.isArray(p.type) ? p.type : [p.type];
}

const envelope = new Set<string>(ENVELOPE_KEYS);

describe('generator catalog agrees with contracts/', () => {
  it.each(EVENT_TYPES)('%s', (type) => {
    const shape = CATALOG[type];
    const active = version(type, shape.active);
    const old = version(type, shape.deprecated);
    expect(active.status).toBe('active');
    expect(old.status).toBe('deprecated');
    const now = props(active);
    const before = props(old);

    expect(active.schema.additionalProperties === false).toBe(shape.closed);
    for (const c of [active, old]) {
      const required = (c.schema.required as string[]).filter((k) => !envelope.has(k));
      expect(required.sort()).toEqual([...shape.required].sort());
    }
    for (const { key, wrong } of shape.mismatch) {
      const t = types(now[key]);
      expect(t.length, key).toBeGreaterThan(0);
      expect(t.includes(wrong) || (wrong === 'number' && t.includes('integer')), key).toBe(false);
    }
    for (const { key, bad } of shape.enums) {
      for (const c of [now, before]) {
        for (const b of bad) expect(c[key]?.enum ?? [], key).not.toContain(b);
      }
      expect(now[key]?.enum, key).toBeDefined();
    }
    const completeness = Object.keys(active.quality?.completeness ?? {});
    expect(completeness.sort()).toEqual(shape.completeness.map((c) => `/${c.key}`).sort());
    for (const { key, nullable } of shape.completeness) {
      expect(types(now[key]).includes('null'), key).toBe(nullable);
      if (!nullable) expect(active.schema.required as string[]).not.toContain(key);
    }
    expect(Object.keys(now).filter((k) => !(k in before))).toEqual(shape.added);
    for (const [key, p] of Object.entries(now)) {
      if (!(key in before)) continue;
      const newer = (p.enum ?? []).filter((v) => !(before[key]?.enum ?? []).includes(v));
      const map = shape.widened[key] ?? {};
      expect(newer.sort(), key).toEqual(Object.keys(map).sort());
      for (const to of Object.values(map)) expect(before[key]?.enum).toContain(to);
    }
    const freeText = Object.entries(active.attributes)
      .filter(([, g]) => g.pii === 'free_text')
      .map(([p]) => p.slice(1));
    expect(freeText).toEqual(shape.freeText);
  });
});
