import type { Contract } from '../../monitor/registry/contract.js';

/** A literal contract for PII tests: declared contact fields, free text, nested notes, an open model. */
export const PROFILE: Contract = {
  contract: 'test.profile',
  version: '1.0.0',
  status: 'active',
  owner: 'privacy@example.com',
  compatibility: 'backward',
  purposes: ['support'],
  schema: { type: 'object', required: ['event_id', 'event_type'] },
  attributes: {
    '/email': { pii: 'contact', declared: true, redact: 'hash' },
    '/phone': { pii: 'phone', declared: true, redact: 'mask' },
    '/user_id': { pii: 'identifier', declared: true, redact: 'hash' },
    '/notes': { pii: 'free_text', redact: { CREDIT_CARD: 'mask', default: 'replace' } },
    '/transcript/items/text': { pii: 'free_text', redact: 'replace' },
    '/secret': { redact: 'drop' },
  },
};

export function profile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: '7d7f2a4e-1b7c-4f3b-9a55-0d1f4c2b9e10',
    event_type: 'test.profile',
    occurred_at: '2026-03-01T10:00:00Z',
    user_id: 'u_1842',
    email: 'jane.doe@example.com',
    phone: '+44 20 7946 0958',
    notes: 'customer asked about delivery times',
    ...overrides,
  };
}
