import { afterAll, describe, expect, it } from 'vitest';
import type { Contract } from '../registry/contract.js';
import { InvalidFilterError } from './invalid-filter-error.js';
import type { FindingAggregate, Store, StoredFinding } from './store.js';
import { testStores } from './test-stores.js';

function agg(over: Partial<FindingAggregate> = {}): FindingAggregate {
  return {
    id: over.id ?? `f-${Math.random().toString(36).slice(2)}`,
    detector: 'schema',
    kind: 'missing_required',
    severity: 'error',
    contract: 'conversation.message',
    version: '1.1.0',
    attribute: '/sentiment',
    event_id: 'e-1',
    occurred_at: '2025-03-01T10:00:00.000Z',
    detected_at: '2025-03-01T10:00:05.000Z',
    message: 'required attribute /sentiment is missing',
    evidence: { path: '/sentiment' },
    count: 1,
    window_start: '2025-03-01T10:00:00.000Z',
    first_seen: '2025-03-01T10:00:05.000Z',
    last_seen: '2025-03-01T10:00:05.000Z',
    sample_event_ids: ['e-1'],
    ...over,
  };
}

function contract(over: Partial<Contract> = {}): Contract {
  return {
    contract: 'conversation.message',
    version: '1.0.0',
    status: 'active',
    owner: 'conversation-analytics@example.com',
    compatibility: 'backward',
    purposes: ['analytics'],
    schema: { type: 'object', properties: { text: { type: 'string' } } },
    attributes: {},
    ...over,
  };
}

async function all(
  store: Store,
  filter: Parameters<Store['queryFindings']>[0] = {},
): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.queryFindings({ ...filter, cursor });
    out.push(...page.items);
    if (!page.next_cursor) return out;
    cursor = page.next_cursor;
  }
}

describe.each(testStores())('store on $name', (target) => {
  afterAll(() => target.cleanup());

  it('reports its kind and answers ping', async () => {
    const store = await target.open();
    expect(store.kind).toBe(target.name);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('round-trips a finding with every field', async () => {
    const store = await target.open();
    const row = agg({ id: 'f-1', evidence: { redacted: '[EMAIL]', nested: { n: 2 } }, count: 3 });
    await store.writeFindings([row]);
    const { items, next_cursor } = await store.queryFindings({});
    expect(next_cursor).toBeNull();
    expect(items).toEqual([
      {
        id: 'f-1',
        detector: 'schema',
        kind: 'missing_required',
        severity: 'error',
        contract: 'conversation.message',
        version: '1.1.0',
        attribute: '/sentiment',
        event_id: 'e-1',
        occurred_at: '2025-03-01T10:00:00.000Z',
        detected_at: '2025-03-01T10:00:05.000Z',
        message: 'required attribute /sentiment is missing',
        evidence: { redacted: '[EMAIL]', nested: { n: 2 } },
        count: 3,
        window_start: '2025-03-01T10:00:00.000Z',
        first_seen: '2025-03-01T10:00:05.000Z',
        last_seen: '2025-03-01T10:00:05.000Z',
        sample_event_ids: ['e-1'],
      },
    ]);
  });

  it('upserts on the dedup key: counts add, seen range widens, newest message wins, samples cap at 5', async () => {
    const store = await target.open();
    await store.writeFindings([
      agg({ id: 'first', count: 2, sample_event_ids: ['e-1', 'e-2'], last_seen: '2025-03-01T10:00:10.000Z' }),
    ]);
    await store.writeFindings([
      agg({
        id: 'second',
        count: 5,
        message: 'newer message',
        severity: 'critical',
        first_seen: '2025-03-01T10:00:01.000Z',
        last_seen: '2025-03-01T10:00:30.000Z',
        event_id: 'e-7',
        sample_event_ids: ['e-2', 'e-3', 'e-4', 'e-5', 'e-6', 'e-7'],
      }),
    ]);
    await store.writeFindings([
      agg({
        id: 'third',
        count: 1,
        severity: 'warning',
        message: 'older message',
        last_seen: '2025-03-01T10:00:20.000Z',
      }),
    ]);
    const { items } = await store.queryFindings({});
    expect(items).toHaveLength(1);
    const f = items[0]!;
    expect(f.id).toBe('first');
    expect(f.count).toBe(8);
    expect(f.first_seen).toBe('2025-03-01T10:00:01.000Z');
    expect(f.last_seen).toBe('2025-03-01T10:00:30.000Z');
    expect(f.message).toBe('newer message');
    expect(f.event_id).toBe('e-7');
    expect(f.severity).toBe('critical');
    expect(f.sample_event_ids).toEqual(['e-1', 'e-2', 'e-3', 'e-4', 'e-5']);
  });

  it('keeps separate rows per window, attribute, version and null vs set contract', async () => {
    const store = await target.open();
    await store.writeFindings([
      agg(),
      agg({ window_start: '2025-03-01T10:01:00.000Z' }),
      agg({ attribute: '/text' }),
      agg({ attribute: null }),
      agg({ version: '2.0.0' }),
      agg({ contract: null, version: null }),
    ]);
    await store.writeFindings([agg({ attribute: null }), agg({ contract: null, version: null })]);
    const items = await all(store);
    expect(items).toHaveLength(6);
    expect(items.find((f) => f.attribute === null)?.count).toBe(2);
    expect(items.find((f) => f.contract === null)?.count).toBe(2);
  });

  it('folds duplicate keys within one write', async () => {
    const store = await target.open();
    await store.writeFindings([
      agg({ count: 2, sample_event_ids: ['a'] }),
      agg({ count: 3, sample_event_ids: ['b'] }),
    ]);
    const { items } = await store.queryFindings({});
    expect(items).toHaveLength(1);
    expect(items[0]!.count).toBe(5);
    expect(items[0]!.sample_event_ids).toEqual(['a', 'b']);
  });

  it('stores text the database would otherwise refuse, and does not fail the batch', async () => {
    const store = await target.open();
    await store.writeFindings([
      agg({ message: 'bad \u0000 byte', evidence: { k: 'lone \ud800 surrogate', 'nul\u0000key': 1 } }),
      agg({ attribute: '/ok', occurred_at: 'not a time' }),
    ]);
    const items = await all(store);
    expect(items).toHaveLength(2);
    const bad = items.find((f) => f.attribute === '/sentiment')!;
    expect(bad.message).toBe('bad \ufffd byte');
    expect(bad.evidence).toEqual({ k: 'lone \ufffd surrogate', 'nul\ufffdkey': 1 });
    expect(items.find((f) => f.attribute === '/ok')!.occurred_at).toBeNull();
  });

  it('writes a batch larger than one statement, all or nothing', async () => {
    const store = await target.open();
    const rows = Array.from({ length: 2500 }, (_, i) => agg({ attribute: `/a${i}`, count: 2 }));
    await store.writeFindings(rows);
    const items = await all(store, { limit: 1000 });
    expect(items).toHaveLength(2500);
    expect(items.reduce((n, f) => n + f.count, 0)).toBe(5000);
  });

  describe('filters', () => {
    let store: Store;
    const rows = [
      agg({
        detector: 'schema',
        kind: 'missing_required',
        severity: 'error',
        contract: 'c.a',
        last_seen: '2025-03-01T10:00:00.000Z',
        first_seen: '2025-03-01T09:59:00.000Z',
      }),
      agg({
        detector: 'schema',
        kind: 'type_mismatch',
        severity: 'error',
        contract: 'c.b',
        last_seen: '2025-03-01T11:00:00.000Z',
        first_seen: '2025-03-01T10:30:00.000Z',
      }),
      agg({
        detector: 'pii',
        kind: 'pii_leak',
        severity: 'critical',
        contract: 'c.a',
        last_seen: '2025-03-01T12:00:00.000Z',
        first_seen: '2025-03-01T11:59:00.000Z',
      }),
      agg({
        detector: 'consent',
        kind: 'consent_missing',
        severity: 'warning',
        contract: 'c.b',
        last_seen: '2025-03-01T13:00:00.000Z',
        first_seen: '2025-03-01T12:59:00.000Z',
      }),
    ];
    const kinds = async (filter: Parameters<Store['queryFindings']>[0]) =>
      (await store.queryFindings(filter)).items.map((f) => f.kind);

    it('setup', async () => {
      store = await target.open();
      await store.writeFindings(rows);
    });

    it('without filter: all, newest insertion first', async () => {
      expect(await kinds({})).toEqual(['consent_missing', 'pii_leak', 'type_mismatch', 'missing_required']);
    });

    it('each filter alone', async () => {
      expect(await kinds({ detector: 'schema' })).toEqual(['type_mismatch', 'missing_required']);
      expect(await kinds({ kind: 'pii_leak' })).toEqual(['pii_leak']);
      expect(await kinds({ contract: 'c.b' })).toEqual(['consent_missing', 'type_mismatch']);
      expect(await kinds({ severity: 'error' })).toEqual(['type_mismatch', 'missing_required']);
      expect(await kinds({ since: '2025-03-01T11:00:00Z' })).toEqual([
        'consent_missing',
        'pii_leak',
        'type_mismatch',
      ]);
      expect(await kinds({ until: '2025-03-01T11:59:00Z' })).toEqual(['type_mismatch', 'missing_required']);
      expect(await kinds({ limit: 1 })).toEqual(['consent_missing']);
      expect(await kinds({ detector: 'nope' })).toEqual([]);
    });

    it('filters combined', async () => {
      expect(await kinds({ detector: 'schema', contract: 'c.a' })).toEqual(['missing_required']);
      expect(await kinds({ contract: 'c.a', since: '2025-03-01T10:30:00Z' })).toEqual(['pii_leak']);
      expect(
        await kinds({ since: '2025-03-01T10:30:00Z', until: '2025-03-01T12:00:00Z', severity: 'error' }),
      ).toEqual(['type_mismatch']);
      expect(await kinds({ detector: 'pii', severity: 'error' })).toEqual([]);
    });

    it('refuses bad input with InvalidFilterError naming the field', async () => {
      await expect(store.queryFindings({ since: 'yesterday' })).rejects.toMatchObject({ field: 'since' });
      await expect(store.queryFindings({ until: '' })).rejects.toBeInstanceOf(InvalidFilterError);
      await expect(store.queryFindings({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
      await expect(store.queryFindings({ limit: 1.5 })).rejects.toMatchObject({ field: 'limit' });
      await expect(store.queryFindings({ cursor: 'garbage' })).rejects.toMatchObject({ field: 'cursor' });
      await expect(
        store.queryFindings({ cursor: Buffer.from('["x","1"]').toString('base64url') }),
      ).rejects.toBeInstanceOf(InvalidFilterError);
    });
  });

  it('pages with the cursor across pages without duplicates or loss, ties on last_seen included', async () => {
    const store = await target.open();
    // 53 rows, many sharing a last_seen, so paging must break ties.
    const rows = Array.from({ length: 53 }, (_, i) =>
      agg({
        id: `p-${i}`,
        attribute: `/a${i}`,
        last_seen: new Date(Date.UTC(2025, 2, 1, 10, 0, i % 7)).toISOString(),
      }),
    );
    await store.writeFindings(rows);
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await store.queryFindings({ limit: 10, cursor });
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((f) => f.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    expect(pageSizes).toEqual([10, 10, 10, 10, 10, 3]);
    expect(new Set(seen).size).toBe(53);
    expect([...seen].sort()).toEqual(rows.map((r) => r.id).sort());
    // Newest rows first by insertion, whatever their last_seen.
    expect(seen).toEqual(rows.map((r) => r.id).reverse());
  });

  it('pages every row exactly once while rows are updated between page requests', async () => {
    const store = await target.open();
    const row = (i: number, lastSeen: string) =>
      agg({ id: `u-${i}`, attribute: `/u${i}`, first_seen: lastSeen, last_seen: lastSeen });
    const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute)).toISOString();
    for (let i = 0; i < 12; i++) await store.writeFindings([row(i, at(i))]);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let request = 0; ; request++) {
      const page = await store.queryFindings({ limit: 3, cursor });
      seen.push(...page.items.map((f) => f.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
      // The same dedup key again, newer than anything: a row not yet paged
      // (u-0, the oldest) and one already paged move their last_seen.
      await store.writeFindings([row(0, at(30 + request)), row(11, at(40 + request))]);
    }

    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `u-${11 - i}`));
    const updated = (await all(store)).find((f) => f.attribute === '/u0');
    expect(updated?.count).toBeGreaterThan(1);
  });

  it('pages with filters kept across pages', async () => {
    const store = await target.open();
    await store.writeFindings(
      Array.from({ length: 30 }, (_, i) => agg({ attribute: `/a${i}`, detector: i % 2 ? 'schema' : 'pii' })),
    );
    const items = await all(store, { detector: 'pii', limit: 4 });
    expect(items).toHaveLength(15);
    expect(items.every((f) => f.detector === 'pii')).toBe(true);
  });

  it('ends with next_cursor null when the last page is exactly full', async () => {
    const store = await target.open();
    await store.writeFindings(Array.from({ length: 4 }, (_, i) => agg({ attribute: `/a${i}` })));
    const first = await store.queryFindings({ limit: 2 });
    const second = await store.queryFindings({ limit: 2, cursor: first.next_cursor! });
    expect(second.items).toHaveLength(2);
    expect(second.next_cursor).toBeNull();
  });

  describe('contract versions', () => {
    it('records idempotently and keeps a history of changed bodies', async () => {
      const store = await target.open();
      await store.recordContractVersion(contract());
      await store.recordContractVersion(contract());
      // Same content, other key order: the same version content.
      const { schema, ...rest } = contract();
      await store.recordContractVersion({ schema, ...rest } as Contract);
      await store.recordContractVersion(contract({ version: '1.1.0' }));
      await store.recordContractVersion(contract({ status: 'deprecated' }));
      await store.recordContractVersion(contract({ contract: 'conversation.outcome' }), 'file');

      const history = await store.contractHistory('conversation.message');
      expect(history.map((h) => [h.version, h.status, h.source])).toEqual([
        ['1.0.0', 'active', 'api'],
        ['1.1.0', 'active', 'api'],
        ['1.0.0', 'deprecated', 'api'],
      ]);
      for (const h of history) {
        expect(h.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(Number.isNaN(Date.parse(h.recorded_at))).toBe(false);
      }
      expect(history[0]!.hash).not.toBe(history[2]!.hash);
      expect((await store.contractHistory()).map((h) => h.contract)).toEqual([
        'conversation.message',
        'conversation.message',
        'conversation.message',
        'conversation.outcome',
      ]);
      expect(await store.contractHistory('nope')).toEqual([]);
    });

    it('returns the latest body of each version published through the API, as given', async () => {
      const store = await target.open();
      const v1 = contract({ description: 'first', quality: { completeness: { '/sentiment': 0.99 } } });
      await store.recordContractVersion(v1);
      await store.recordContractVersion(contract({ version: '1.1.0' }));
      await store.recordContractVersion(contract({ contract: 'from.file' }), 'file');
      const v1Deprecated = { ...v1, status: 'deprecated' as const };
      await store.recordContractVersion(v1Deprecated);

      const published = await store.publishedContracts();
      expect(published).toEqual([v1Deprecated, contract({ version: '1.1.0' })]);
      // Key order survives, so the body compares equal to the same contract serialized again.
      expect(JSON.stringify(published[0])).toBe(JSON.stringify(v1Deprecated));
    });
  });

  it('close is safe twice', async () => {
    const store = await target.open();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});
