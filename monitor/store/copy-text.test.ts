import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { copyField, copyText } from './copy-text.js';
import { testSqlTargets } from './test-sql.js';

describe('copyField', () => {
  it('writes null as \\N, booleans as t/f, and escapes what COPY reads as structure', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(true)).toBe('t');
    expect(copyField(false)).toBe('f');
    expect(copyField(12.5)).toBe('12.5');
    expect(copyField(Number.NaN)).toBe('\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
  });

  it('replaces NUL and lone surrogates, which PostgreSQL refuses', () => {
    expect(copyField('a\u0000b')).toBe('a\ufffdb');
    expect(copyField('x\ud800y')).toBe('x\ufffdy');
    expect(copyField('ok \ud83d\ude00')).toBe('ok \ud83d\ude00');
  });
});

describe.each(testSqlTargets())('copyIn on $name', (target) => {
  afterAll(() => target.cleanup());

  it('stores every value as written, awkward text included, in and outside a transaction', async () => {
    const sql = await target.open();
    onTestFinished(() => sql.close());
    await sql.exec('CREATE TABLE copy_probe (n int, t text, b boolean, j jsonb, at timestamptz)');
    const rows = [
      {
        n: 1,
        t: 'tab\there, newline\nthere, back\\slash, \\N, quote "\'',
        b: true,
        j: '{"k":"v\\tw"}',
        at: '2026-03-01T10:00:00.250Z',
      },
      { n: 2, t: null, b: null, j: null, at: '2026-03-01T12:00:00+02:00' },
      {
        n: 3,
        t: 'NUL\u0000 and lone \udc00 surrogate, emoji \ud83d\ude00, é',
        b: false,
        j: '[]',
        at: '2026-03-01T10:00:00Z',
      },
    ];
    const text = copyText(rows, (r) => [r.n, r.t, r.b, r.j, r.at]);
    await sql.copyIn('copy_probe', ['n', 't', 'b', 'j', 'at'], `${text.split('\n')[0]}\n`);
    await sql.transaction((tx) =>
      tx.copyIn('copy_probe', ['n', 't', 'b', 'j', 'at'], text.split('\n').slice(1).join('\n')),
    );
    const { rows: back } = await sql.query<{
      n: number;
      t: string | null;
      b: boolean | null;
      j: unknown;
      at: string;
    }>(
      `SELECT n, t, b, j, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM copy_probe ORDER BY n`,
    );
    expect(back).toEqual([
      { n: 1, t: rows[0]!.t, b: true, j: { k: 'v\tw' }, at: '2026-03-01T10:00:00.250Z' },
      { n: 2, t: null, b: null, j: null, at: '2026-03-01T10:00:00.000Z' },
      {
        n: 3,
        t: 'NUL\ufffd and lone \ufffd surrogate, emoji \ud83d\ude00, é',
        b: false,
        j: [],
        at: '2026-03-01T10:00:00.000Z',
      },
    ]);
  });

  it('rolls a failed COPY back with the rest of its transaction, and the store stays usable', async () => {
    const sql = await target.open();
    onTestFinished(() => sql.close());
    await sql.exec('CREATE TABLE copy_strict (n int NOT NULL)');
    await expect(
      sql.transaction(async (tx) => {
        await tx.copyIn('copy_strict', ['n'], '1\n');
        await tx.copyIn('copy_strict', ['n'], 'not a number\n');
      }),
    ).rejects.toThrow();
    await expect(sql.copyIn('copy_strict', ['n'], '\\N\n')).rejects.toThrow();
    await sql.copyIn('copy_strict', ['n'], '7\n');
    expect((await sql.query('SELECT n FROM copy_strict')).rows).toEqual([{ n: 7 }]);
  });
});
