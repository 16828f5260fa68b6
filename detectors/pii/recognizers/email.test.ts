import validator from 'validator';
import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { emailRecognizer } from './email.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!emailRecognizer.applies(view)) return [];
  return emailRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

describe('emailRecognizer', () => {
  it('finds an address in a sentence, without the full stop after it', () => {
    expect(scan('Sure, you can email me at jane.doe@example.com.')).toEqual([
      { entity: 'EMAIL_ADDRESS', start: 26, end: 46, score: 1, text: 'jane.doe@example.com' },
    ]);
  });

  it('finds several formats: plus tags, subdomains, quotes, brackets, apostrophes', () => {
    const text =
      "Write to bob+billing@mail.example.co.uk or 'support@example.org' (o'brien@example.net), <ops-team_1@example.com>";
    expect(scan(text).map((s) => [s.start, s.end, s.text])).toEqual([
      [9, 39, 'bob+billing@mail.example.co.uk'],
      [44, 63, 'support@example.org'],
      [66, 85, "o'brien@example.net"],
      [89, 111, 'ops-team_1@example.com'],
    ]);
  });

  it('stops at characters that join an address to what precedes it', () => {
    expect(scan('contact=alice@example.com')).toEqual([
      { entity: 'EMAIL_ADDRESS', start: 8, end: 25, score: 1, text: 'alice@example.com' },
    ]);
  });

  it('keeps an address in a URL query but not the userinfo of a URL', () => {
    expect(
      scan('see https://example.com/unsubscribe?email=carol@example.com now').map((s) => s.text),
    ).toEqual(['carol@example.com']);
    expect(scan('clone https://deploy:hunter2@git.example.com/repo.git')).toEqual([]);
  });

  it('finds addresses with non-ASCII letters whole', () => {
    expect(scan('mail josé@example.com please').map((s) => s.text)).toEqual(['josé@example.com']);
  });

  it('ignores handles, bare @ and addresses without a TLD', () => {
    expect(scan('ping @sarah on slack, meet @ 5pm, root@localhost, a@b, user@.com, @example.com')).toEqual(
      [],
    );
  });

  it('rejects invalid addresses', () => {
    expect(scan('double dot jane..doe@example.com and bad domain bob@exa_mple.com')).toEqual([]);
  });

  it('applies the RFC 5321 limits as validator does: 64 bytes before the @, 63 characters a label', () => {
    const found = (address: string) => scan(`mail ${address} now`).map((s) => s.text);
    const label = (n: number) => 'd'.repeat(n);
    for (const address of [
      `${'a'.repeat(64)}@example.com`,
      `${'a'.repeat(65)}@example.com`,
      `${'é'.repeat(32)}@example.com`,
      `${'é'.repeat(33)}@example.com`,
      `${'日'.repeat(21)}@example.com`,
      `${'日'.repeat(22)}@example.com`,
      `bob@${label(63)}.com`,
      `bob@${label(64)}.com`,
      `bob@${Array.from({ length: 4 }, () => label(60)).join('.')}.com`,
    ]) {
      expect(found(address), address).toEqual(validator.isEmail(address) ? [address] : []);
    }
    expect(found(`${'a'.repeat(64)}@example.com`)).toHaveLength(1);
    expect(found(`bob@${label(64)}.com`)).toEqual([]);
  });

  it('does not apply without an @', () => {
    expect(emailRecognizer.applies(new TextView('no address here, example.com'))).toBe(false);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('a'.repeat(1 << 20))).toEqual([]);
    expect(scan('a@'.repeat(1 << 19))).toEqual([]);
    expect(scan('@'.repeat(1 << 20))).toEqual([]);
    expect(scan('.'.repeat(1 << 20))).toEqual([]);
    expect(scan(`${'a'.repeat(1 << 19)}@${'b.'.repeat(1 << 18)}`)).toEqual([]);
    const many = scan('x@example.com '.repeat(1 << 16));
    expect(many).toHaveLength(1 << 16);
    expect(scan('a@a.co@'.repeat(1 << 17)).length).toBeGreaterThan(0);
  });

  it('never throws on lone surrogates', () => {
    expect(() => scan('\ud800@example.com \udc00x@example.com')).not.toThrow();
  });
});
