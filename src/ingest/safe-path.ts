import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UserError } from '../util/errors.ts';

/** A regular file found inside an input folder, as it was when it was checked. */
export interface InsideFile {
  /** Real path (links inside the folder resolved). */
  path: string;
  size: number;
  dev: number;
  ino: number;
  mtimeMs: number;
}

const identity = (st: Stats, path: string): InsideFile => ({ path, size: st.size, dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs });

/**
 * Resolves a file named inside a bundle, refusing absolute paths, `..`, and links that lead
 * out of the bundle, and anything that is not a regular file under the size limit.
 * `what` and `folder` name the file and its folder in messages (a sidecar in a test folder...).
 */
export function resolveInside(root: string, name: string, maxBytes: number, what = 'clip', folder = 'bundle'): InsideFile {
  if (typeof name !== 'string' || name.length === 0 || name.length > 1024) throw new UserError('bad_file', `a ${what} name must be a short relative path`);
  if (name.includes('\0')) throw new UserError('bad_file', `${what} name ${JSON.stringify(name)} holds a NUL byte`);
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.startsWith('\\')) {
    throw new UserError('bad_file', `${what} ${JSON.stringify(name)} is an absolute path; it must be inside the ${folder}`);
  }
  if (name.split(/[\\/]/).some((part) => part === '..'))
    throw new UserError('bad_file', `${what} ${JSON.stringify(name)} climbs out of the ${folder} with '..'`);
  const realRoot = realpathSync(root);
  const candidate = join(realRoot, name);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw new UserError('bad_file', `${what} ${JSON.stringify(name)} does not exist in the ${folder}`);
  }
  const rel = relative(realRoot, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new UserError('bad_file', `${what} ${JSON.stringify(name)} is a link leading out of the ${folder}`);
  }
  const st = statSync(real);
  if (!st.isFile()) throw new UserError('bad_file', `${what} ${JSON.stringify(name)} is not a regular file`);
  if (st.size > maxBytes) throw new UserError('bad_file', `${what} ${JSON.stringify(name)} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
  return identity(st, real);
}

/**
 * The manifest of a folder (alert.json): a regular file in the folder itself, never a link
 * (wherever it leads), under the size limit. lstat, so a link is seen as a link.
 */
export function manifestInside(root: string, name: string, maxBytes: number): InsideFile {
  const path = join(root, name);
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    throw new UserError('bad_file', `${name} is missing`);
  }
  if (st.isSymbolicLink()) throw new UserError('bad_file', `${name} is a link; it must be a regular file inside the bundle`);
  if (!st.isFile()) throw new UserError('bad_file', `${name} is not a regular file`);
  if (st.size > maxBytes) throw new UserError('bad_file', `${name} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
  return identity(st, path);
}

/**
 * Reads a file checked by resolveInside or manifestInside, refusing it if it was swapped or
 * changed since (a link put in its place, other content): opened without following a final
 * link, then the open file must be the very one that was checked, at the size it had.
 */
export function readInside(f: InsideFile, what: string): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO swapped in opens at once (and is refused below) instead of hanging the import.
    fd = openSync(f.path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    throw new UserError('bad_file', `${what} could not be opened (it was moved or replaced by a link while being imported)`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.dev !== f.dev || st.ino !== f.ino || st.size !== f.size || st.mtimeMs !== f.mtimeMs) {
      throw new UserError('bad_file', `${what} changed while being imported; try again once it is complete`);
    }
    const out = Buffer.allocUnsafe(f.size);
    let at = 0;
    while (at < f.size) {
      const n = readSync(fd, out, at, f.size - at, at);
      if (n === 0) throw new UserError('bad_file', `${what} was shortened while being imported`);
      at += n;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}
