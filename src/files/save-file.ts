import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { dirname, resolve } from 'node:path';
import type { SavedFile } from '../contract/audit.ts';
import { UserError } from '../util/errors.ts';

/**
 * Where an export may go: a file name in a folder that exists, not a folder, and not over an
 * existing file unless the person allowed it. Returns the absolute path.
 */
export function checkTarget(path: string, overwrite: boolean): string {
  if (path.includes('\0')) throw new UserError('invalid_input', 'the export path is not a file name');
  const target = resolve(path);
  if (!existsSync(dirname(target)) || !statSync(dirname(target)).isDirectory())
    throw new UserError('invalid_input', `the folder ${dirname(target)} does not exist`);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new UserError('invalid_input', `${target} is a folder; give a file name`);
    if (!overwrite) throw new UserError('conflict', `${target} exists; choose another name or allow overwriting`);
  }
  return target;
}

/** The temporary name an export is written under before it is renamed into place. */
export const tempNameFor = (target: string): string => `${target}.${randomBytes(6).toString('hex')}.tmp`;

/**
 * Writes a whole file so that a half-written one never stands under the name: a temporary file
 * beside it, fsynced, then renamed over the target. Returns what was written, with its SHA-256.
 */
export function saveFileAtomically(path: string, content: string | Uint8Array, overwrite: boolean): SavedFile {
  const target = checkTarget(path, overwrite);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const tmp = tempNameFor(target);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  renameSync(tmp, target);
  return { path: target, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Copies a finished file (a zip, an export made in the core's work folder) to the target the same
 * way: a temporary file beside it, fsynced, renamed over it. Streams, so a large file never sits in
 * memory. Returns what was written, with its SHA-256.
 */
export async function copyFileAtomically(source: string, path: string, overwrite: boolean): Promise<SavedFile> {
  const target = checkTarget(path, overwrite);
  const tmp = tempNameFor(target);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      createReadStream(source),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const c of chunks) {
          hash.update(c);
          bytes += c.byteLength;
          yield c;
        }
      },
      createWriteStream(tmp, { flags: 'wx', mode: 0o644, flush: true }),
    );
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return { path: target, bytes, sha256: hash.digest('hex') };
}
