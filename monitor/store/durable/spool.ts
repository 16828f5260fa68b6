import { type FileHandle, mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { WriteUnit } from '../write-unit.js';
import { SpoolFullError } from './spool-full-error.js';

const LOG = 'spool.log';
const OFFSET = 'spool.offset';
const LOCK = 'spool.lock';
const NL = 0x0a;
/** First read size when looking for the next entry; grown for larger entries. */
const READ_CHUNK = 256 * 1024;

export interface SpoolOptions {
  /** Appends that would take the bytes waiting past this are refused (SpoolFullError). */
  maxBytes: number;
  /** Told about a damaged entry found at open: everything from it on is moved aside. */
  onDamage?: (info: { offset: number; movedTo: string }) => void;
}

export interface SpoolStats {
  /** Bytes waiting to be replayed. */
  bytes: number;
  /** Units waiting to be replayed. */
  units: number;
}

/**
 * A local append-only file of write units that the store could not take,
 * replayed in order once it can.
 *
 * Each entry is one line: the CRC-32 of the JSON in hex, a space, the unit as
 * JSON. append() returns once the line is on disk (fdatasync), so what it
 * accepted survives a crash of the process or the machine. A line cut short by
 * a crash fails its CRC and is dropped at the next open: its append never
 * returned, so nothing that was acknowledged is lost.
 *
 * The replay position is kept in memory and in a side file written without
 * sync: after a machine crash it may be behind, and units replayed again are
 * recognised by the store (write_units) and change nothing. The file is
 * emptied whenever the replay reaches its end. One process per directory: a
 * lock file with the owner's pid.
 *
 * Every operation runs one after the other, so an append and the truncation
 * at the end of a replay never interleave.
 */
export class Spool {
  private offset = 0;
  private size = 0;
  private pendingUnits = 0;
  private ops: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly handle: FileHandle,
    private readonly opts: SpoolOptions,
  ) {}

  static async open(dir: string, opts: SpoolOptions): Promise<Spool> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await takeLock(dir);
    try {
      const path = join(dir, LOG);
      // 'a' creates the file without truncating it; writes then go by position through 'r+'.
      await (await open(path, 'a', 0o600)).close();
      const handle = await open(path, 'r+');
      const spool = new Spool(dir, handle, opts);
      await spool.scan();
      return spool;
    } catch (err) {
      await unlink(join(dir, LOCK)).catch(() => {});
      throw err;
    }
  }

  stats(): SpoolStats {
    return { bytes: this.size - this.offset, units: this.pendingUnits };
  }

  isEmpty(): boolean {
    return this.pendingUnits === 0;
  }

  /**
   * The bytes waiting for the store against the limit. The file itself can be
   * larger for a moment (replayed units are cut off once the replay reaches
   * its end); an append refused meanwhile keeps its rows in memory.
   */
  nearlyFull(share = 0.8): boolean {
    return this.size - this.offset >= this.opts.maxBytes * share;
  }

  /** Appends the unit and syncs it to disk; rejects with SpoolFullError past maxBytes. */
  append(unit: WriteUnit): Promise<void> {
    return this.serially(async () => {
      const json = JSON.stringify(unit);
      const line = Buffer.from(`${hex(crc32(json))} ${json}\n`);
      // The limit is on what waits; the replayed part is cut when the replay reaches the end,
      // and the file may not grow past twice the limit meanwhile.
      const waiting = this.size - this.offset;
      if (waiting + line.length > this.opts.maxBytes || this.size + line.length > 2 * this.opts.maxBytes) {
        throw new SpoolFullError(waiting, this.opts.maxBytes);
      }
      await this.handle.write(line, 0, line.length, this.size);
      await this.handle.datasync();
      this.size += line.length;
      this.pendingUnits += 1;
    });
  }

  /** The oldest unit not replayed yet, or null when there is none. */
  peek(): Promise<WriteUnit | null> {
    return this.serially(async () => {
      if (this.offset >= this.size) return null;
      const entry = await this.readAt(this.offset);
      if (!entry) throw new Error(`spool entry at byte ${this.offset} of ${join(this.dir, LOG)} is damaged`);
      return entry.unit;
    });
  }

  /** Calls `fn` with each unit waiting, oldest first (at start, to learn what the spool holds). */
  forEachWaiting(fn: (unit: WriteUnit) => void): Promise<void> {
    return this.serially(async () => {
      for (let at = this.offset; at < this.size; ) {
        const entry = await this.readAt(at);
        if (!entry) return;
        fn(entry.unit);
        at += entry.length;
      }
    });
  }

  /** Marks the unit peek() returned as replayed; the file is emptied when none is left. */
  advance(): Promise<void> {
    return this.serially(async () => {
      const entry = await this.readAt(this.offset);
      if (!entry) return;
      this.offset += entry.length;
      if (this.offset >= this.size) {
        // The position goes back to 0 on disk before the file is cut: a crash in between then
        // replays (recognised by the store), where the other order could leave an old position
        // that lands inside units appended later, and skip them.
        await writeDurably(join(this.dir, OFFSET), '0');
        await this.handle.truncate(0);
        await this.handle.datasync();
        this.offset = 0;
        this.size = 0;
      } else {
        await writeFile(join(this.dir, OFFSET), String(this.offset));
      }
      // Last: isEmpty() turns true only once the file says so too.
      this.pendingUnits = this.size === 0 ? 0 : this.pendingUnits - 1;
    });
  }

  /** Closes the file and releases the lock; what is spooled stays for the next open. Safe twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.serially(async () => {
      this.closed = true;
      await this.handle.close();
      await unlink(join(this.dir, LOCK)).catch(() => {});
    });
  }

  private serially<T>(op: () => Promise<T>): Promise<T> {
    const run = this.ops.then(() => {
      if (this.closed) throw new Error('the spool is closed');
      return op();
    });
    this.ops = run.catch(() => {});
    return run;
  }

  /** Counts the entries, drops a torn tail, moves a damaged part aside, and restores the replay position. */
  private async scan(): Promise<void> {
    const { size } = await this.handle.stat();
    this.size = size;
    let offset = 0;
    let units = 0;
    while (offset < size) {
      const entry = await this.readAt(offset);
      if (!entry) break;
      offset += entry.length;
      units += 1;
    }
    if (offset < size) await this.setAside(offset, size);
    this.size = offset;
    this.pendingUnits = units;
    const saved = Number(await readFile(join(this.dir, OFFSET), 'utf8').catch(() => '0'));
    // The saved position is a hint: it must fall on an entry boundary, found by walking from the start.
    let walked = 0;
    let skipped = 0;
    while (walked < saved && walked < this.size) {
      const entry = await this.readAt(walked);
      if (!entry) break;
      walked += entry.length;
      skipped += 1;
    }
    if (walked === saved) {
      this.offset = walked;
      this.pendingUnits -= skipped;
    }
  }

  /** Copies the bytes from `from` on to a file beside the spool, for a person to look at, and cuts them off. */
  private async setAside(from: number, to: number): Promise<void> {
    const rest = Buffer.alloc(to - from);
    await this.handle.read(rest, 0, rest.length, from);
    const movedTo = join(this.dir, `spool.damaged-${Date.now()}`);
    // A torn last line (no newline) is an append that never returned: nothing to keep.
    if (rest.indexOf(NL) !== -1) {
      await writeFile(movedTo, rest, { mode: 0o600 });
      this.opts.onDamage?.({ offset: from, movedTo });
    }
    await this.handle.truncate(from);
    await this.handle.datasync();
  }

  /** The entry starting at `offset`, or null when it is cut short or fails its check. */
  private async readAt(offset: number): Promise<{ unit: WriteUnit; length: number } | null> {
    let chunk = READ_CHUNK;
    for (;;) {
      const length = Math.min(chunk, this.size - offset);
      if (length <= 0) return null;
      const buf = Buffer.alloc(length);
      const { bytesRead } = await this.handle.read(buf, 0, length, offset);
      const end = buf.subarray(0, bytesRead).indexOf(NL);
      if (end === -1) {
        if (offset + bytesRead >= this.size) return null;
        chunk *= 4;
        continue;
      }
      return parseLine(buf.subarray(0, end), end + 1);
    }
  }
}

function parseLine(line: Buffer, length: number): { unit: WriteUnit; length: number } | null {
  if (line.length < 10 || line[8] !== 0x20) return null;
  const json = line.subarray(9);
  if (line.subarray(0, 8).toString('latin1') !== hex(crc32(json))) return null;
  try {
    return { unit: JSON.parse(json.toString('utf8')) as WriteUnit, length };
  } catch {
    return null;
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const f = await open(path, 'w', 0o600);
  try {
    await f.writeFile(text);
    await f.datasync();
  } finally {
    await f.close();
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** One process per spool directory: two writing one file would interleave their units. */
async function takeLock(dir: string): Promise<void> {
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(await readFile(path, 'utf8').catch(() => ''));
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(`the spool directory ${dir} is in use by process ${owner}; give each process its own`);
    }
    // The owner is gone (a crash): the lock is stale.
    await rename(path, `${path}.stale`).catch(() => {});
    await unlink(`${path}.stale`).catch(() => {});
  }
  throw new Error(`could not lock the spool directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
