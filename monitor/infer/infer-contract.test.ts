import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createAjv } from '../registry/ajv.js';
import { parseContractText, toContract } from '../registry/parse-contract.js';
import { ContractRegistry } from '../registry/registry.js';
import { ContractInferrer, InferError, inferContract } from './infer-contract.js';

/* Chat messages as a support tool would send them: the customer writes in, an agent answers. */
const emb = (seed: number) =>
  Array.from({ length: 8 }, (_, i) => Math.round(Math.sin(seed + i) * 1000) / 1000);
const CONV_A = '3f1c2a7e-9b4d-4e8a-a1f2-5c6d7e8f9a01';
const CONV_B = '8d2e4f60-1a3b-4c5d-9e7f-0a1b2c3d4e5f';
const CONV_C = 'c0ffee00-beef-4bad-8dad-123456789abc';

const MESSAGES: Record<string, unknown>[] = [
  {
    event_id: '0b8f1e2a-4c3d-4e5f-8a9b-0c1d2e3f4a5b',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-01T09:30:00Z',
    user_id: 'u_1001',
    conversation_id: CONV_A,
    channel: 'chat',
    direction: 'inbound',
    customer: { email: 'ana.silva@example.com', name: 'Ana Silva' },
    text: 'Hi, I was charged twice, please reply to ana.silva@example.com',
    intent: 'billing',
    sentiment: -0.6,
    turn: 0,
    embedding: emb(1),
  },
  {
    event_id: '1c9a2f3b-5d4e-4f6a-9b0c-1d2e3f4a5b6c',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-01T09:31:12Z',
    user_id: 'u_1001',
    conversation_id: CONV_A,
    channel: 'chat',
    direction: 'outbound',
    customer: { email: 'ana.silva@example.com', name: 'Ana Silva' },
    text: 'Sorry about that Ana, I have refunded the second charge.',
    intent: 'billing',
    sentiment: null,
    turn: 1,
    embedding: emb(2),
    language: 'en',
  },
  {
    event_id: '2d0b3a4c-6e5f-4a7b-8c1d-2e3f4a5b6c7d',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-01T09:32:40.250Z',
    user_id: 'u_1001',
    conversation_id: CONV_A,
    channel: 'chat',
    direction: 'inbound',
    customer: { email: 'ana.silva@example.com', name: 'Ana Silva' },
    text: 'Thanks! Can I also cancel my plan?',
    intent: 'cancel',
    sentiment: 0.4,
    turn: 2,
    embedding: emb(3),
    language: 'en',
  },
  {
    event_id: '3e1c4b5d-7f6a-4b8c-9d2e-3f4a5b6c7d8e',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-01T09:33:05Z',
    user_id: 'u_1001',
    conversation_id: CONV_A,
    channel: 'chat',
    direction: 'outbound',
    customer: { email: 'ana.silva@example.com', name: 'Ana Silva' },
    text: 'Done, your plan ends on 31 May.',
    intent: 'cancel',
    sentiment: 0.1,
    turn: 3,
    embedding: emb(4),
    language: 'en',
  },
  {
    event_id: '4f2d5c6e-8a7b-4c9d-8e3f-4a5b6c7d8e9f',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-02T14:00:00+02:00',
    user_id: 'u_2002',
    conversation_id: CONV_B,
    channel: 'email',
    direction: 'inbound',
    customer: { email: 'j.weber@example.org', name: 'Jonas Weber' },
    text: 'Guten Tag, meine Rechnung ist falsch. Tel 0151 2345678',
    intent: 'billing',
    sentiment: -0.3,
    turn: 0,
    embedding: emb(5),
    language: 'de',
  },
  {
    event_id: '5a3e6d7f-9b8c-4d0e-9f4a-5b6c7d8e9f0a',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-02T15:10:00+02:00',
    user_id: 'u_2002',
    conversation_id: CONV_B,
    channel: 'email',
    direction: 'outbound',
    customer: { email: 'j.weber@example.org', name: 'Jonas Weber' },
    text: 'Wir haben die Rechnung korrigiert.',
    intent: 'billing',
    sentiment: null,
    turn: 1,
    embedding: emb(6),
    language: 'de',
  },
  {
    event_id: '6b4f7e8a-0c9d-4e1f-8a5b-6c7d8e9f0a1b',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-02T15:45:30+02:00',
    user_id: 'u_2002',
    conversation_id: CONV_B,
    channel: 'email',
    direction: 'inbound',
    customer: { email: 'j.weber@example.org', name: 'Jonas Weber' },
    text: 'Danke!',
    intent: 'greeting',
    sentiment: 0.8,
    turn: 2,
    embedding: emb(7),
    language: 'de',
  },
  {
    event_id: '7c5a8f9b-1d0e-4f2a-9b6c-7d8e9f0a1b2c',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-03T08:00:00Z',
    user_id: 'u_3003',
    conversation_id: CONV_C,
    channel: 'sms',
    direction: 'inbound',
    customer: { email: 'li.wei@example.net', name: 'Li Wei' },
    text: 'hello?',
    intent: 'greeting',
    sentiment: null,
    turn: 0,
    embedding: emb(8),
  },
  {
    event_id: '8d6b9a0c-2e1f-4a3b-8c7d-8e9f0a1b2c3d',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-03T08:00:30Z',
    user_id: 'u_3003',
    conversation_id: CONV_C,
    channel: 'sms',
    direction: 'outbound',
    customer: { email: 'li.wei@example.net', name: 'Li Wei' },
    text: 'Hi Li, how can we help?',
    intent: 'greeting',
    sentiment: 0.5,
    turn: 1,
    embedding: emb(9),
    language: 'en',
  },
  {
    event_id: '9e7c0b1d-3f2a-4b4c-9d8e-9f0a1b2c3d4e',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-03T08:01:10Z',
    user_id: 'u_3003',
    conversation_id: CONV_C,
    channel: 'sms',
    direction: 'inbound',
    customer: { email: 'li.wei@example.net', name: 'Li Wei' },
    text: 'I want to cancel, call me on +44 7700 900123',
    intent: 'cancel',
    sentiment: -0.2,
    turn: 2,
    embedding: emb(10),
    language: 'en',
  },
  {
    event_id: 'af8d1c2e-4a3b-4c5d-8e9f-0a1b2c3d4e5f',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-03T08:02:00Z',
    user_id: 'u_3003',
    conversation_id: CONV_C,
    channel: 'chat',
    direction: 'outbound',
    customer: { email: 'li.wei@example.net', name: 'Li Wei' },
    text: 'Your subscription is cancelled.',
    intent: 'cancel',
    sentiment: 0.0,
    turn: 3,
    embedding: emb(11),
    language: 'en',
  },
  {
    event_id: 'b09e2d3f-5b4c-4d6e-9f0a-1b2c3d4e5f60',
    event_type: 'conversation.message',
    schema_version: '1.0.0',
    occurred_at: '2024-05-03T08:02:45Z',
    user_id: 'u_3003',
    conversation_id: CONV_C,
    channel: 'chat',
    direction: 'inbound',
    customer: { email: 'li.wei@example.net', name: 'Li Wei' },
    text: 'Great, thanks',
    intent: 'greeting',
    sentiment: 0.7,
    turn: 4,
    embedding: emb(12),
    language: 'en',
  },
];

const OUTCOMES: Record<string, unknown>[] = [
  {
    event_id: 'c1af3e4a-6c5d-4e7f-8a1b-2c3d4e5f6071',
    event_type: 'conversation.outcome',
    occurred_at: '2024-05-01T09:40:00Z',
    conversation_id: CONV_A,
    resolved: true,
    csat: 5,
  },
  {
    event_id: 'd2b04f5b-7d6e-4f8a-9b2c-3d4e5f607182',
    event_type: 'conversation.outcome',
    occurred_at: '2024-05-02T16:00:00+02:00',
    conversation_id: CONV_B,
    resolved: true,
    csat: null,
  },
  {
    event_id: 'e3c1506c-8e7f-4a9b-8c3d-4e5f60718293',
    event_type: 'conversation.outcome',
    occurred_at: '2024-05-03T08:05:00Z',
    conversation_id: CONV_C,
    resolved: false,
  },
];

type Props = Record<string, Record<string, unknown>>;

function onlyContract(events: Record<string, unknown>[], opts = {}) {
  const contracts = inferContract(events, opts);
  expect(contracts).toHaveLength(1);
  return contracts[0]!;
}

describe('inferContract', () => {
  it('drafts a contract the contract format accepts and every sample validates against', () => {
    const contract = onlyContract(MESSAGES);
    expect(toContract(JSON.parse(JSON.stringify(contract)))).toEqual(contract);
    const validate = createAjv().compile(contract.schema);
    for (const e of MESSAGES) expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is accepted by the contract registry', () => {
    const registry = new ContractRegistry();
    for (const c of inferContract([...MESSAGES, ...OUTCOMES])) registry.add(c);
    expect(registry.names()).toEqual(['conversation.message', 'conversation.outcome']);
    expect(registry.versions('conversation.message').map((c) => c.status)).toEqual(['draft']);
  });

  it('names it after the event type, status draft, backward compatible, no purposes', () => {
    const c = onlyContract(MESSAGES);
    expect(c).toMatchObject({
      contract: 'conversation.message',
      version: '0.1.0',
      status: 'draft',
      owner: 'unknown@example.com',
      compatibility: 'backward',
      purposes: [],
    });
    expect(onlyContract(MESSAGES, { version: '1.2.0', owner: 'cx-data@example.com' })).toMatchObject({
      version: '1.2.0',
      owner: 'cx-data@example.com',
    });
  });

  it('pins the event type, and infers formats, enums, nullability and embeddings', () => {
    const schema = onlyContract(MESSAGES).schema;
    const p = schema.properties as Props;
    expect(p.event_type).toEqual({ type: 'string', const: 'conversation.message' });
    expect(p.event_id).toEqual({ type: 'string', format: 'uuid' });
    expect(p.conversation_id).toEqual({ type: 'string', format: 'uuid' });
    expect(p.occurred_at).toEqual({ type: 'string', format: 'date-time' });
    expect(p.user_id).toEqual({ type: 'string' }); // an id, never an enum
    expect(p.schema_version).toEqual({ type: 'string' });
    expect(p.intent).toEqual({ type: 'string', enum: ['billing', 'cancel', 'greeting'] });
    expect(p.channel).toEqual({ type: 'string', enum: ['chat', 'email', 'sms'] });
    expect(p.sentiment).toEqual({ type: ['number', 'null'] });
    expect(p.turn).toEqual({ type: 'integer', minimum: 0 });
    expect(p.embedding).toEqual({ type: 'array', items: { type: 'number' }, minItems: 8, maxItems: 8 });
    expect((p.customer!.properties as Props).email).toEqual({ type: 'string', format: 'email' });
    expect(schema.required).not.toContain('language');
    expect(schema.required).toContain('sentiment');
    expect(schema.additionalProperties).toBe(false);
  });

  it('flags personal data for masking, by value format and by name', () => {
    const c = onlyContract(MESSAGES);
    expect(c.attributes).toEqual({
      '/customer/email': { pii: 'contact', redact: 'mask' },
      '/customer/name': { pii: 'name', redact: 'mask' },
      '/text': { pii: 'free_text', redact: 'mask' },
    });
  });

  it('sets completeness minimums, rounded down, for attributes sometimes null or missing', () => {
    const c = onlyContract(MESSAGES);
    // sentiment null in 3 of 12 events; language missing in 2 of 12 (10/12 = 0.833...)
    expect(c.quality).toEqual({ completeness: { '/sentiment': 0.75, '/language': 0.83 } });
    // 2 of 3 = 0.666...: down to 0.66, so the sample meets its own minimum
    expect(onlyContract(MESSAGES.slice(0, 3)).quality?.completeness?.['/language']).toBe(0.66);
    expect(c.quality?.completeness?.['/turn']).toBeUndefined();
  });

  it('copies no personal data from the sample into the contract', () => {
    const text = stringify(onlyContract(MESSAGES));
    for (const e of MESSAGES) {
      const customer = e.customer as { email: string; name: string };
      expect(text).not.toContain(customer.email);
      expect(text).not.toContain(customer.name);
      expect(text).not.toContain(e.text as string);
    }
  });

  it('round-trips through YAML and the contract parser', () => {
    const c = onlyContract(MESSAGES);
    expect(parseContractText(stringify(c))).toEqual(c);
  });

  it('drafts one contract per event type when the traffic mixes them', () => {
    const contracts = inferContract([...OUTCOMES, ...MESSAGES, OUTCOMES[0]!]);
    expect(contracts.map((c) => c.contract)).toEqual(['conversation.message', 'conversation.outcome']);
    const outcome = contracts[1]!;
    expect((outcome.schema.properties as Props).event_type?.const).toBe('conversation.outcome');
    expect((outcome.schema.properties as Props).csat).toEqual({
      type: ['integer', 'null'],
      minimum: 0,
    });
    expect(outcome.quality?.completeness).toEqual({ '/csat': 0.5 });
    const ajv = createAjv();
    const validate = ajv.compile(outcome.schema);
    for (const e of OUTCOMES) expect(validate(e)).toBe(true);
    expect(ajv.compile(contracts[0]!.schema)(OUTCOMES[0])).toBe(false);
  });

  it('names events without an event type after the name given, and refuses without one', () => {
    const bare = MESSAGES.map(({ event_type: _, ...rest }) => rest);
    const c = onlyContract(bare, { name: 'support.chat' });
    expect(c.contract).toBe('support.chat');
    expect((c.schema.properties as Props).event_type).toBeUndefined();
    expect(() => inferContract(bare)).toThrow(InferError);
  });

  it('refuses nothing to infer from, a bad version or a bad name', () => {
    expect(() => inferContract([])).toThrow(/no events/);
    expect(() => inferContract(MESSAGES, { version: 'v1' })).toThrow(/semver/);
    expect(() => inferContract(MESSAGES.slice(0, 1), { name: 'Bad Name' })).toThrow(/contract name/);
  });

  it('warns, with counts only, about events it leaves out', () => {
    const inferrer = new ContractInferrer();
    for (const e of [
      ...MESSAGES,
      { text: 'no type here', event_type: 42 },
      { event_type: 'Chat Message!' },
    ]) {
      inferrer.observe(e);
    }
    const { drafts, warnings } = inferrer.result();
    expect(drafts.map((d) => [d.contract.contract, d.events])).toEqual([['conversation.message', 12]]);
    expect(warnings).toEqual([
      'an event type (1 events) is not a valid contract name; skipped',
      '1 events without a string event_type were left out',
    ]);
    expect(warnings.join(' ')).not.toContain('no type here');
  });

  it('keeps a bounded number of event types', () => {
    const inferrer = new ContractInferrer({ maxEventTypes: 1 });
    for (const e of [...MESSAGES, ...OUTCOMES]) inferrer.observe(e);
    const { drafts, warnings } = inferrer.result();
    expect(drafts.map((d) => d.contract.contract)).toEqual(['conversation.message']);
    expect(warnings).toEqual(['3 events of more than 1 event types were left out']);
  });

  it('merges inferrers over parts of the traffic', () => {
    const a = new ContractInferrer();
    const b = new ContractInferrer();
    for (const [i, e] of MESSAGES.entries()) (i % 2 ? a : b).observe(e);
    for (const e of OUTCOMES) b.observe(e);
    const merged = a
      .merge(b)
      .result()
      .drafts.map((d) => d.contract);
    expect(merged).toEqual(inferContract([...MESSAGES, ...OUTCOMES]));
  });
});
