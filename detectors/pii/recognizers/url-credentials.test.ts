import { describe, expect, it } from 'vitest';
import { TextView } from '../text-view.js';
import { isSecretName, urlCredentialsRecognizer } from './url-credentials.js';

function scan(text: string) {
  const view = new TextView(text);
  if (!urlCredentialsRecognizer.applies(view)) return [];
  return urlCredentialsRecognizer.scan(view).map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
}

function texts(text: string): string[] {
  return scan(text).map((s) => s.text);
}

describe('urlCredentialsRecognizer', () => {
  it('finds a database URL with a password, span scheme to end, sentence period trimmed', () => {
    expect(scan('Use postgres://app:s3cret@db.example.com:5432/orders.')).toEqual([
      {
        entity: 'URL_CREDENTIALS',
        start: 4,
        end: 52,
        score: 0.9,
        text: 'postgres://app:s3cret@db.example.com:5432/orders',
      },
    ]);
  });

  it('finds userinfo passwords under many schemes', () => {
    const urls = [
      'https://admin:hunter2@example.com/login',
      'ftp://anon:guest@ftp.example.org/pub',
      'mysql://root:pw@127.0.0.1:3306/app',
      'mongodb+srv://svc:Pa%40ss@cluster0.example.net/db?retryWrites=true',
      'redis://:redispass@cache.example.com:6379/0',
      'amqp://guest:guest@rabbit.example.com:5672/vhost',
    ];
    expect(texts(urls.join(' and '))).toEqual(urls);
  });

  it('finds a username that is an email address by the last @ of the authority', () => {
    expect(texts('dsn=postgres://bob@example.com:pw@db.example.com/x')).toEqual([
      'postgres://bob@example.com:pw@db.example.com/x',
    ]);
  });

  it('finds secret query and fragment parameters', () => {
    const urls = [
      'https://api.example.com/v1/items?page=2&access_token=abc123',
      'https://example.com/cb#access_token=eyJhbGciOi&token_type=bearer',
      'https://example.com/#/callback?code=4/0Adeu5BW',
      'https://maps.example.com/api/js?key=AIzaSyExample',
      'https://bucket.s3.amazonaws.com/f.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=fe5f80f77d5f',
      'https://acct.blob.core.windows.net/c/b?sv=2020-08-04&sig=Zm9vYmFy',
      'https://example.com/reset?password=changeme',
      'https://example.com/app;jsessionid=1?x=1&JSESSIONID=ABCDEF',
      'https://example.com/hook?client_secret=s&api-key=k',
    ];
    expect(texts(urls.join('\n'))).toEqual(urls);
  });

  it('trims sentence punctuation and unbalanced closing brackets, keeps balanced ones', () => {
    expect(texts('(see https://u:p@example.com/a),')).toEqual(['https://u:p@example.com/a']);
    expect(texts('[link](https://example.com/x?token=t1).')).toEqual(['https://example.com/x?token=t1']);
    expect(texts('https://en.example.org/wiki/Foo_(bar)?sig=z!')).toEqual([
      'https://en.example.org/wiki/Foo_(bar)?sig=z',
    ]);
    expect(texts('"https://example.com/?token=abc"')).toEqual(['https://example.com/?token=abc']);
  });

  it('does not report plain URLs or harmless parameters', () => {
    const text = [
      'https://example.com/',
      'https://example.com/search?page=2&sort=asc',
      'https://example.com/items?pageToken=CAoQAA&next_page_token=x',
      'http://user@example.com/ (no password)',
      'http://example.com:8080/path',
      'https://medium.com/@someone/post',
      'https://example.com/?email=bob@example.com',
      'https://example.com/x/token=abc',
      'https://example.com/?token=&key=',
    ].join(' ');
    expect(scan(text)).toEqual([]);
  });

  it('does not report masked or placeholder credentials', () => {
    const text = [
      'postgres://user:****@db.example.com/x',
      'postgres://user:xxxx@db.example.com/x',
      `postgres://user:\${DB_PASSWORD}@db.example.com/x`,
      'https://example.com/?token=<TOKEN>',
      'https://example.com/?session=true',
      'https://user:@example.com/',
    ].join(' ');
    expect(scan(text)).toEqual([]);
  });

  it('does not take a word glued before the scheme', () => {
    expect(texts('Link:https://u:p@example.com')).toEqual(['https://u:p@example.com']);
    expect(texts('2.https://u:p@example.com')).toEqual(['https://u:p@example.com']);
    expect(scan('://u:p@example.com')).toEqual([]);
  });

  it('knows secret parameter names', () => {
    for (const n of [
      'token',
      'id_token',
      'refresh_token',
      'apikey',
      'API_KEY',
      'X-Amz-Security-Token',
      'pwd',
    ])
      expect(isSecretName(n)).toBe(true);
    for (const n of ['page', 'sort', 'q', 'country_code', 'pageToken', 'keyword'])
      expect(isSecretName(n)).toBe(false);
  });

  it('stays linear on adversarial 1 MB inputs', () => {
    expect(scan('://'.repeat(349_525))).toEqual([]);
    expect(scan('a://'.repeat(1 << 18))).toEqual([]);
    expect(scan(`https://example.com/?${'a&'.repeat(1 << 19)}`)).toEqual([]);
    expect(scan(`https://example.com/?${'a=b;'.repeat(1 << 18)}`)).toEqual([]);
    expect(scan(`https://${'@:'.repeat(1 << 19)}x`)).toHaveLength(1);
    expect(scan(`https://${'('.repeat(1 << 19)}${')'.repeat(1 << 19)}`)).toEqual([]);
    expect(scan(`${'h'.repeat(1 << 20)}://u:p@x`)).toEqual([]);
    expect(scan(':'.repeat(1 << 20))).toEqual([]);
    expect(scan('https://u:p@example.com '.repeat(1 << 15))).toHaveLength(1 << 15);
  });
});
