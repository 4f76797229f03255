import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const SHA = /^[0-9a-f]{64}$/;

/**
 * Content-addressed clip files: <dir>/<first two hex>/<sha256>.wav. A clip is written to a
 * temporary name, fsynced, then renamed, so a crash never leaves a partial file under a hash.
 */
export class ClipStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
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

  /** Stores bytes whose hash the caller computed; an existing file with that hash is kept as is. */
  put(sha256: string, bytes: Uint8Array): string {
    const target = this.path(sha256);
    if (existsSync(target) && statSync(target).size === bytes.byteLength) return target;
    mkdirSync(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'wx');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, target);
    } catch (e) {
      unlinkSync(tmp);
      throw e;
    }
    return target;
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
}
