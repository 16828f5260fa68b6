import { ALNUM, HEX, LOWER, type Rng } from './prng.js';

/** Email addresses, IP addresses, URLs with and without credentials, wallet addresses. */

const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.co.uk', 'corp.example.io'];

/** An address built from a person's name, in the shapes mailboxes take. */
export function emailAddress(r: Rng, first: string, last: string): string {
  const f = first.toLowerCase().replace(/[^a-z]/g, '');
  const l = last.toLowerCase().replace(/[^a-z]/g, '');
  const local = r.pick([
    `${f}.${l}`,
    `${f[0]}${l}`,
    `${f}_${l}`,
    `${f}+orders`,
    `${f}.${l}${r.int(1, 99)}`,
    `${l}.${f}`,
    `${f}${r.int(70, 99)}`,
  ]);
  const domain = r.pick(DOMAINS);
  return r.chance(0.1) ? `${local[0]!.toUpperCase()}${local.slice(1)}@${domain}` : `${local}@${domain}`;
}

/** IPv4 in the documentation ranges (RFC 5737) and private ranges. */
export function ipv4(r: Rng): string {
  const prefix = r.pick([
    '192.0.2',
    '198.51.100',
    '203.0.113',
    `10.${r.int(0, 255)}.${r.int(0, 255)}`,
    '192.168.1',
  ]);
  return `${prefix}.${r.int(1, 254)}`;
}

function hex4(r: Rng): string {
  return r.chars(r.int(1, 4), HEX).replace(/^0+(?=.)/, '');
}

/** IPv6 under 2001:db8::/32 (RFC 3849), link-local and IPv4-mapped, mostly compressed. */
export function ipv6(r: Rng): string {
  switch (r.int(0, 4)) {
    case 0:
      return `2001:db8::${hex4(r)}`;
    case 1:
      return `2001:db8:${hex4(r)}:${hex4(r)}::${hex4(r)}`;
    case 2:
      return `2001:0db8:${r.chars(4, HEX)}:0000:0000:${r.chars(4, HEX)}:${r.chars(4, HEX)}:${r.chars(4, HEX)}`;
    case 3:
      return `fe80::${hex4(r)}:${hex4(r)}:${hex4(r)}:${hex4(r)}`;
    default:
      return `::ffff:192.0.2.${r.int(1, 254)}`;
  }
}

const HOSTS = [
  'db.example.com',
  'api.example.com',
  'files.example.org',
  'cache.example.net',
  'mq.example.io',
];
const SECRET_PARAMS = [
  'token',
  'access_token',
  'api_key',
  'apikey',
  'key',
  'secret',
  'client_secret',
  'password',
  'signature',
  'X-Amz-Signature',
  'session',
  'sessionid',
];

function secret(r: Rng): string {
  return r.chars(r.int(16, 40), ALNUM);
}

/** A URL carrying a password in its userinfo or a secret in a query or fragment parameter. */
export function credentialUrl(r: Rng): string {
  const host = r.pick(HOSTS);
  switch (r.int(0, 3)) {
    case 0: {
      const scheme = r.pick(['postgres', 'mysql', 'redis', 'amqp', 'mongodb']);
      const port = r.pick(['', ':5432', ':6379', ':3306']);
      return `${scheme}://${r.pick(['admin', 'app', 'svc_user', 'root'])}:${secret(r)}@${host}${port}/${r.pick(['prod', 'orders', '0'])}`;
    }
    case 1:
      return `${r.pick(['https', 'ftp'])}://${r.pick(['deploy', 'backup', 'ci'])}:${secret(r)}@${host}/${r.pick(['exports', 'builds', 'upload'])}`;
    case 2:
      return `https://${host}/v${r.int(1, 3)}/${r.pick(['reports', 'orders', 'download'])}?${r.pick(['format=csv&', 'page=2&', ''])}${r.pick(SECRET_PARAMS)}=${secret(r)}`;
    default:
      return `https://${host}/${r.pick(['callback', 'auth/done', 'app'])}#${r.pick(['access_token', 'id_token', 'session'])}=${secret(r)}&expires_in=3600`;
  }
}

/** An ordinary link: paths, page numbers, search terms, anchors, no secrets. */
export function plainUrl(r: Rng): string {
  const host = r.pick([
    'www.example.com',
    'help.example.com',
    'shop.example.org',
    'docs.example.net',
    'example.com',
  ]);
  return r.pick([
    `https://${host}/help/articles/${r.digits(6)}`,
    `https://${host}/search?q=${r.pick(['blue+shoes', 'refund+policy', 'router'])}&page=${r.int(2, 9)}`,
    `https://${host}/docs/v${r.int(1, 4)}/api#section-${r.int(1, 9)}`,
    `http://${host}/status`,
    `https://${host}/products/${r.chars(6, LOWER)}-${r.digits(4)}?ref=newsletter&utm_source=email`,
    `https://${host}/track?order=${r.digits(8)}&lang=en`,
  ]);
}

/** Published example and test-vector addresses (Bitcoin wiki, BIP-173, BIP-350, EIP-55): checksums hold. */
export const CRYPTO_ADDRESSES: readonly string[] = [
  '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
  '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
  '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  '0xde709f2102306220921060314715629080e2fb77',
];

/** Hex that is not a wallet: transaction hashes, commit ids, UUIDs. */
export function hexIdentifier(r: Rng): string {
  switch (r.int(0, 2)) {
    case 0:
      return `0x${r.chars(64, HEX)}`;
    case 1:
      return r.chars(r.pick([7, 12, 40]), HEX);
    default:
      return `${r.chars(8, HEX)}-${r.chars(4, HEX)}-4${r.chars(3, HEX)}-a${r.chars(3, HEX)}-${r.chars(12, HEX)}`;
  }
}
