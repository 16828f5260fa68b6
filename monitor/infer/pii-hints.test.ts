import { describe, expect, it } from 'vitest';
import { isIdentifierKey, keyTokens, piiKindByName } from './pii-hints.js';

describe('keyTokens', () => {
  it('splits snake, camel, kebab and acronyms', () => {
    expect(keyTokens('customer_email')).toEqual(['customer', 'email']);
    expect(keyTokens('customerEmail')).toEqual(['customer', 'email']);
    expect(keyTokens('e-mail')).toEqual(['e', 'mail']);
    expect(keyTokens('clientIPAddress')).toEqual(['client', 'ip', 'address']);
  });
});

describe('piiKindByName', () => {
  it.each([
    [['email'], 'contact'],
    [['customer', 'email_address'], 'contact'],
    [['e-mail'], 'contact'],
    [['phone_number'], 'contact'],
    [['mobile'], 'contact'],
    [['customer', 'name'], 'name'],
    [['first_name'], 'name'],
    [['agentName'], 'name'],
    [['surname'], 'name'],
    [['billing_address'], 'address'],
    [['postal_code'], 'address'],
    [['address', 'city'], 'address'],
    [['text'], 'free_text'],
    [['message'], 'free_text'],
    [['body'], 'free_text'],
    [['call_transcript'], 'free_text'],
    [['client_ip'], 'identifier'],
  ])('%j is %s', (path, kind) => {
    expect(piiKindByName(path)).toBe(kind);
  });

  it.each([
    [['message_id']],
    [['email_verified']],
    [['intent_name']],
    [['model_name']],
    [['message_type']],
    [['phone_verified']],
    [['sentiment']],
    [['channel']],
  ])('%j is not personal data', (path) => {
    expect(piiKindByName(path)).toBeUndefined();
  });
});

describe('isIdentifierKey', () => {
  it('knows ids and versions', () => {
    expect(isIdentifierKey('event_id')).toBe(true);
    expect(isIdentifierKey('conversationId')).toBe(true);
    expect(isIdentifierKey('schema_version')).toBe(true);
    expect(isIdentifierKey('intent')).toBe(false);
  });
});
