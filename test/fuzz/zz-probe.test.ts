import { it } from 'vitest';
import { createTestApp } from '../../monitor/http/test-app.js';

it('probe', async () => {
  const t = await createTestApp();
  const post = async (name: string, schema: object, extra: object = {}) => {
    const doc = { contract: `probe.${name}`, version: '1.0.0', status: 'active', owner: 'o', schema: { type: 'object', ...schema }, ...extra };
    const r = await t.server.inject({ method: 'POST', url: '/v1/contracts', payload: doc });
    console.log(name, r.statusCode, r.body.slice(0, 400));
  };
  await post('pattern', { properties: { a: { type: 'string', pattern: 'jane.doe@example.com(' } } });
  await post('format', { properties: { a: { type: 'string', format: 'jane.doe@example.com' } } });
  await post('ref', { properties: { a: { $ref: '#/jane.doe@example.com' } } });
  await post('type', { properties: { a: { type: 'jane.doe@example.com' } } });
  await post('requiredkey', { required: ['jane.doe@example.com'] });
  await post('attr', {}, { attributes: { '/jane.doe@example.com': { pii: 'x', redact: 'hash' } } });
  await post('attrbad', {}, { attributes: { '/jane.doe@example.com': { pii: 5 } } });
  await t.close();
});
