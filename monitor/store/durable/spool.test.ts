import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WriteUnit } from '../write-unit.js';
import { Spool } from './spool.js';
import { SpoolFullError } from './spool-full-error.js';

function unit(n: number, text = 'x'): WriteUnit {
  return { id: `u-${n}`, findings: [], records: [], checks: [], eventIds: [`${text}-${n}`] };
}

async function drain(spool: Spool): Promise<string[]> {
  const ids: string[] = [];
  for (let u = await spool.peek(); u; u = await spool.peek()) {
    ids.push(u.id);
    await spool.advance();
  }
  return ids;
}

describe('Spool', () => {
  let dir: string;
  const opened: Spool[] = [];
  const open = async (opts: Partial<Parameters<typeof Spool.open>[1]> = {}) => {
    const s = await Spool.open(dir, { maxBytes: 1 << 20, ...opts });
    opened.push(s);
    return s;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-spool-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('gives units back in the order appended, and empties the file once all are replayed', async () => {
    const spool = await open();
    expect(spool.isEmpty()).toBe(true);
    for (let i = 0; i < 5; i++) await spool.append(unit(i));
    expect(spool.stats().units).toBe(5);
    expect(spool.stats().bytes).toBeGreaterThan(0);
    expect(await spool.peek()).toEqual(unit(0));
    expect(await spool.peek()).toEqual(unit(0));
    expect(await drain(spool)).toEqual(['u-0', 'u-1', 'u-2', 'u-3', 'u-4']);
    expect(spool.stats()).toEqual({ bytes: 0, units: 0 });
    expect((await stat(join(dir, 'spool.log'))).size).toBe(0);
    // Back to 0 on disk too: an old position must not survive into the next units.
    expect(await readFile(join(dir, 'spool.offset'), 'utf8')).toBe('0');
    expect(await spool.peek()).toBeNull();
  });

  it('keeps what was appended across a reopen, from where the replay stopped', async () => {
    const first = await open();
    for (let i = 0; i < 4; i++) await first.append(unit(i));
    await first.advance();
    await first.close();
    const second = await open();
    expect(second.stats().units).toBe(3);
    expect(await drain(second)).toEqual(['u-1', 'u-2', 'u-3']);
  });

  it('replays from the start when the saved position is lost (the store recognises units written before)', async () => {
    const first = await open();
    for (let i = 0; i < 3; i++) await first.append(unit(i));
    await first.advance();
    await first.close();
    await rm(join(dir, 'spool.offset'));
    const second = await open();
    expect(await drain(second)).toEqual(['u-0', 'u-1', 'u-2']);
  });

  it('drops a line cut short by a crash, and keeps every whole unit before it', async () => {
    const first = await open();
    await first.append(unit(0));
    await first.append(unit(1));
    await first.close();
    await appendFile(join(dir, 'spool.log'), '1234abcd {"id":"u-2","findings":[');
    const second = await open();
    expect(second.stats().units).toBe(2);
    await second.append(unit(3));
    expect(await drain(second)).toEqual(['u-0', 'u-1', 'u-3']);
    expect((await readdir(dir)).filter((f) => f.startsWith('spool.damaged'))).toEqual([]);
  });

  it('moves a damaged part aside for a person to read, and says so', async () => {
    const first = await open();
    for (let i = 0; i < 3; i++) await first.append(unit(i));
    await first.close();
    const path = join(dir, 'spool.log');
    const text = await readFile(path, 'utf8');
    const lines = text.split('\n');
    lines[1] = lines[1]!.replace('u-1', 'u-9');
    await writeFile(path, lines.join('\n'));
    const damage: Array<{ offset: number; movedTo: string }> = [];
    const second = await open({ onDamage: (d) => damage.push(d) });
    expect(second.stats().units).toBe(1);
    expect(damage).toHaveLength(1);
    expect(damage[0]!.offset).toBe(lines[0]!.length + 1);
    expect(await readFile(damage[0]!.movedTo, 'utf8')).toContain('u-9');
    expect(await drain(second)).toEqual(['u-0']);
  });

  it('refuses an append past maxBytes, writing nothing of it', async () => {
    const spool = await open({ maxBytes: 400 });
    await spool.append(unit(0));
    const big = unit(1, 'y'.repeat(500));
    await expect(spool.append(big)).rejects.toBeInstanceOf(SpoolFullError);
    expect(spool.stats().units).toBe(1);
    expect(spool.nearlyFull(0.1)).toBe(true);
    expect(await drain(spool)).toEqual(['u-0']);
  });

  it('belongs to one process: a second open of the directory fails while the first holds it', async () => {
    await open();
    // The lock names this process, which is alive: another process would be refused.
    await writeFile(join(dir, 'spool.lock'), String(process.ppid));
    await expect(Spool.open(dir, { maxBytes: 1 << 20 })).rejects.toThrow(/in use by process/);
  });

  it('takes over the lock of a process that is gone', async () => {
    await writeFile(join(dir, 'spool.lock'), '2147483646');
    const spool = await open();
    await spool.append(unit(0));
    expect(await readFile(join(dir, 'spool.lock'), 'utf8')).toBe(String(process.pid));
  });

  it('keeps the file private to its owner', async () => {
    await open();
    expect((await stat(join(dir, 'spool.log'))).mode & 0o077).toBe(0);
    expect((await stat(dir)).mode & 0o077).toBe(0);
  });
});
