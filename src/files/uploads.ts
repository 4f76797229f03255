import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../util/errors.ts';
import type { Clock } from '../util/time.ts';
import { newHandle, sameSecret } from './ids.ts';
import { TooLarge, type TransferLimits } from './limits.ts';
import { nameKey, normaliseUploadName } from './names.ts';

interface UploadSet {
  id: string;
  sessionId: string;
  /** The files as the seat named them, below this folder. */
  tree: string;
  /** Files still arriving, under random names, moved into the tree when complete. */
  parts: string;
  files: Map<string, { name: string; bytes: number }>;
  /** Every folder some file is in (name keys), so a file and a folder never share a name. */
  folders: Set<string>;
  arriving: Set<string>;
  bytes: number;
  taken: boolean;
  touchedUs: number;
}

/** An upload handed to the method that uses it: read its tree, then release it (the files go). */
export interface TakenUpload {
  dir: string;
  names: string[];
  release(): void;
}

const unknown = () => new UserError('not_found', 'no such upload of this seat (it was used, discarded or expired): send the files again');

/**
 * Files a seat sent, kept under the core's own folder until a method uses them. Each upload
 * belongs to the session that opened it; its files arrive one request each, streamed to disk with
 * a limit per file, per upload and for all uploads together, under names checked by
 * normaliseUploadName. A method takes an upload whole (no more files then) and releases it after.
 */
export class UploadSets {
  private readonly sets = new Map<string, UploadSet>();
  private total = 0;

  constructor(
    private readonly folder: () => string,
    private readonly limits: TransferLimits,
    private readonly clock: Clock,
  ) {}

  /** Bytes held by every upload now. */
  get totalBytes(): number {
    return this.total;
  }

  create(sessionId: string): string {
    this.sweep();
    const open = [...this.sets.values()].filter((s) => sameSecret(s.sessionId, sessionId) && !s.taken).length;
    if (open >= this.limits.setsPerSession) throw new UserError('conflict', `this seat has ${open} unfinished uploads: use or discard one first`);
    const id = newHandle('up');
    const dir = join(this.folder(), id);
    const set: UploadSet = {
      id,
      sessionId,
      tree: join(dir, 'tree'),
      parts: join(dir, 'parts'),
      files: new Map(),
      folders: new Set(),
      arriving: new Set(),
      bytes: 0,
      taken: false,
      touchedUs: this.clock.nowUs(),
    };
    mkdirSync(set.tree, { recursive: true, mode: 0o700 });
    mkdirSync(set.parts, { mode: 0o700 });
    this.sets.set(id, set);
    return id;
  }

  /**
   * Streams one file of an upload to disk. `declaredBytes` (the request's Content-Length) lets an
   * oversized file be refused before a byte is read; the count of bytes that actually arrive is
   * what the limits hold to. A file that fails half way leaves nothing.
   */
  async receive(
    sessionId: string,
    uploadId: string,
    rawName: string,
    declaredBytes: number | null,
    body: AsyncIterable<Buffer>,
  ): Promise<{ name: string; bytes: number; sha256: string }> {
    const set = this.owned(sessionId, uploadId);
    if (set.taken) throw new UserError('conflict', 'this upload is already in use: start a new one');
    const name = normaliseUploadName(rawName);
    const key = nameKey(name);
    if (set.files.has(key) || set.arriving.has(key)) throw new UserError('conflict', `${JSON.stringify(name)} is already in this upload`);
    if (set.folders.has(key)) throw new UserError('conflict', `${JSON.stringify(name)} is a folder of this upload already`);
    const segments = key.split('/');
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join('/');
      if (set.files.has(folder) || set.arriving.has(folder))
        throw new UserError('conflict', `${JSON.stringify(folder)} is a file of this upload, not a folder`);
    }
    if (set.files.size + set.arriving.size >= this.limits.setFiles) throw new TooLarge(`an upload holds at most ${this.limits.setFiles} files`);
    if (declaredBytes !== null) this.checkRoom(set, declaredBytes);

    const target = join(set.tree, ...name.split('/'));
    const rel = relative(set.tree, target);
    if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
      throw new UserError('invalid_input', `the file name ${JSON.stringify(name)} leaves the upload`);
    const part = join(set.parts, randomBytes(9).toString('base64url'));
    const hash = createHash('sha256');
    let bytes = 0;
    // Bytes count against the limits as they arrive, so a lying or missing Content-Length changes nothing.
    const reserve = (n: number) => {
      if (bytes + n > this.limits.fileBytes) throw new TooLarge(`${JSON.stringify(name)} is over the ${this.limits.fileBytes}-byte limit for one file`);
      this.checkRoom(set, n);
      bytes += n;
      set.bytes += n;
      this.total += n;
    };
    set.arriving.add(key);
    try {
      await pipeline(
        body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            reserve(chunk.byteLength);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(part, { flags: 'wx', mode: 0o600 }),
      );
      if (declaredBytes !== null && bytes !== declaredBytes)
        throw new UserError('invalid_input', `${JSON.stringify(name)} ended after ${bytes} of ${declaredBytes} bytes`);
      mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 });
      renameSync(part, target);
    } catch (e) {
      rmSync(part, { force: true });
      set.bytes -= bytes;
      this.total -= bytes;
      throw e;
    } finally {
      set.arriving.delete(key);
    }
    set.files.set(key, { name, bytes });
    for (let i = 1; i < segments.length; i++) set.folders.add(segments.slice(0, i).join('/'));
    set.touchedUs = this.clock.nowUs();
    return { name, bytes, sha256: hash.digest('hex') };
  }

  /** Discards an upload of this seat (the page gave up); false when there is none. */
  discard(sessionId: string, uploadId: string): boolean {
    const set = this.sets.get(uploadId);
    if (!set || !sameSecret(set.sessionId, sessionId) || set.taken) return false;
    if (set.arriving.size > 0) throw new UserError('conflict', 'files of this upload are still arriving');
    this.remove(set);
    return true;
  }

  /** Hands an upload of this seat to the method that uses it; no file may be added after. */
  take(sessionId: string, uploadId: string): TakenUpload {
    const set = this.owned(sessionId, uploadId);
    if (set.taken) throw unknown();
    if (set.arriving.size > 0) throw new UserError('conflict', 'files of this upload are still arriving: wait until every file is sent');
    if (set.files.size === 0) throw new UserError('invalid_input', 'the upload holds no file');
    set.taken = true;
    return { dir: set.tree, names: [...set.files.values()].map((f) => f.name).sort(), release: () => this.remove(set) };
  }

  /** Removes every upload of a seat that is gone, except those a method is using. */
  forgetSession(sessionId: string): void {
    for (const s of [...this.sets.values()]) if (s.sessionId === sessionId && !s.taken && s.arriving.size === 0) this.remove(s);
  }

  /** Removes uploads nobody used in time. */
  sweep(): void {
    const old = this.clock.nowUs() - this.limits.uploadTtlS * 1e6;
    for (const s of [...this.sets.values()]) if (!s.taken && s.arriving.size === 0 && s.touchedUs < old) this.remove(s);
  }

  private checkRoom(set: UploadSet, more: number): void {
    if (more > this.limits.fileBytes) throw new TooLarge(`a file is over the ${this.limits.fileBytes}-byte limit for one file`);
    if (set.bytes + more > this.limits.setBytes) throw new TooLarge(`the upload would be over its ${this.limits.setBytes}-byte limit`);
    if (this.total + more > this.limits.totalBytes)
      throw new TooLarge('the core holds as many uploaded bytes as it takes: try again once other uploads are used');
  }

  private owned(sessionId: string, uploadId: string): UploadSet {
    const set = this.sets.get(uploadId);
    if (!set || !sameSecret(set.sessionId, sessionId)) throw unknown();
    if (!set.taken && set.arriving.size === 0 && set.touchedUs < this.clock.nowUs() - this.limits.uploadTtlS * 1e6) {
      this.remove(set);
      throw unknown();
    }
    return set;
  }

  private remove(set: UploadSet): void {
    if (!this.sets.delete(set.id)) return;
    this.total -= set.bytes;
    rmSync(join(set.tree, '..'), { recursive: true, force: true });
  }
}
