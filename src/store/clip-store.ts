import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { releaseBuffers } from '../util/release.ts';

const SHA = /^[0-9a-f]{64}$/;
const SUBDIR = /^[0-9a-f]{2}$/;
/** The store's own temporary names, and nothing else: `<sha256>.wav.<12 hex>.tmp`. */
const TEMP = /^[0-9a-f]{64}\.wav\.[0-9a-f]{12}\.tmp$/;
/** A temporary file this old is no write in progress (one clip takes seconds at most), but one a crash left. */
export const STALE_TEMP_MS = 5 * 60_000;
const COPY_CHUNK = 1024 * 1024;

/** What a source file must still be when it is copied: the one that was read and hashed before. */
export interface SourceIdentity {
  size: number;
  dev?: number;
  ino?: number;
  mtimeMs?: number;
}

/**
 * Content-addressed clip files: <dir>/<first two hex>/<sha256>.wav. A clip is written to a
 * temporary name, fsynced, renamed, and the folder fsynced, so a crash never leaves a partial
 * file under a hash, and a clip stored is a clip kept. A crash can leave the temporary file:
 * those older than STALE_TEMP_MS are removed when the store is opened (younger ones may be
 * another process's write in progress, say an `earwitness import` beside a running host).
 */
export class ClipStore {
  /** Stale temporary files removed when this store was opened. */
  readonly removedTemps: string[];

  constructor(
    readonly dir: string,
    o: { staleTempMs?: number; nowMs?: number } = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.removedTemps = this.removeStaleTemps(o.staleTempMs ?? STALE_TEMP_MS, o.nowMs ?? Date.now());
  }

  static hash(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** The file path of a clip; throws on anything that is not a SHA-256, so no caller can walk the disk. */
  path(sha256: string): string {
    if (!SHA.test(sha256)) throw new Error(`not a clip hash: ${JSON.stringify(sha256.slice(0, 80))}`);
    return join(this.dir, sha256.slice(0, 2), `${sha256}.wav`);
  }

  has(sha256: string): boolean {
    return existsSync(this.path(sha256));
  }

  private tempFor(target: string): string {
    return `${target}.${randomBytes(6).toString('hex')}.tmp`;
  }

  private stored(target: string, size: number): boolean {
    try {
      return statSync(target).size === size;
    } catch {
      return false;
    }
  }

  /** Stores bytes whose hash the caller computed; an existing file with that hash is kept as is. */
  put(sha256: string, bytes: Uint8Array): string {
    const target = this.path(sha256);
    if (this.stored(target, bytes.byteLength)) return target;
    const folder = join(this.dir, sha256.slice(0, 2));
    mkdirSync(folder, { recursive: true });
    const tmp = this.tempFor(target);
    const fd = openSync(tmp, 'wx');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      unlinkSync(tmp);
      throw e;
    }
    closeSync(fd);
    try {
      renameSync(tmp, target);
    } catch (e) {
      unlinkSync(tmp);
      throw e;
    }
    syncFolder(folder);
    return target;
  }

  /**
   * Copies a clip from a file into the store without holding it in memory, and without blocking
   * the event loop: read, hashed and written in chunks, asynchronously. The source must still be
   * the file that was hashed (identity, size, and the hash of what is copied), or nothing is
   * stored and the copy is refused.
   */
  async putFile(sha256: string, source: string, expected: SourceIdentity): Promise<string> {
    const target = this.path(sha256);
    if (this.stored(target, expected.size)) return target;
    const changed = () => new UserError('bad_file', 'it changed while being imported (its bytes are no longer those that were checked)');
    const folder = join(this.dir, sha256.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const src = await open(source, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(() => {
      throw changed();
    });
    try {
      const st = await src.stat();
      if (
        !st.isFile() ||
        st.size !== expected.size ||
        (expected.dev !== undefined && st.dev !== expected.dev) ||
        (expected.ino !== undefined && st.ino !== expected.ino) ||
        (expected.mtimeMs !== undefined && st.mtimeMs !== expected.mtimeMs)
      )
        throw changed();
      const tmp = this.tempFor(target);
      const out = await open(tmp, 'wx');
      let complete = false;
      try {
        const hash = createHash('sha256');
        const buffer = Buffer.allocUnsafe(Math.min(COPY_CHUNK, Math.max(1, expected.size)));
        let at = 0;
        for (;;) {
          const { bytesRead } = await src.read(buffer, 0, buffer.length, at);
          if (bytesRead === 0) break;
          at += bytesRead;
          if (at > expected.size) throw changed();
          hash.update(buffer.subarray(0, bytesRead));
          await out.write(buffer, 0, bytesRead);
        }
        releaseBuffers(buffer);
        if (at !== expected.size || hash.digest('hex') !== sha256) throw changed();
        await out.sync();
        complete = true;
      } finally {
        await out.close();
        if (!complete) await rm(tmp, { force: true });
      }
      try {
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      await syncFolderAsync(folder);
      return target;
    } finally {
      await src.close();
    }
  }

  read(sha256: string): Buffer {
    return readFileSync(this.path(sha256));
  }

  /** Re-hashes a stored clip: true when the bytes on disk still match their name. */
  verify(sha256: string): boolean {
    try {
      return ClipStore.hash(this.read(sha256)) === sha256;
    } catch {
      return false;
    }
  }

  /** Removes this store's own temporary files older than `olderThanMs`; nothing else is touched. */
  private removeStaleTemps(olderThanMs: number, nowMs: number): string[] {
    const removed: string[] = [];
    for (const sub of readdirSync(this.dir)) {
      if (!SUBDIR.test(sub)) continue;
      const folder = join(this.dir, sub);
      let names: string[];
      try {
        names = readdirSync(folder);
      } catch {
        continue; // a file named like a folder: not ours to judge
      }
      for (const name of names) {
        if (!TEMP.test(name) || name.slice(0, 2) !== sub) continue;
        const path = join(folder, name);
        try {
          const st = statSync(path);
          if (st.isFile() && nowMs - st.mtimeMs >= olderThanMs) {
            unlinkSync(path);
            removed.push(join(sub, name));
          }
        } catch {
          // Gone already (another process cleaned it): fine.
        }
      }
    }
    return removed;
  }
}

/** Makes a rename inside a folder durable. Where folders cannot be opened for it (Windows), the rename is durable already. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EPERM on platforms that do not fsync folders.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function syncFolderAsync(folder: string): Promise<void> {
  const fh = await open(folder, 'r').catch(() => null);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // As syncFolder.
  } finally {
    await fh.close();
  }
}

// Every call's context carries it (src/kernel/services.ts says why it is declared here).
declare module '../kernel/services.ts' {
  interface CoreServices {
    /** The content-addressed clips on disk: their hashes are in the database, the bytes here. */
    readonly clips: ClipStore;
  }
}
