import { lstatSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UserError } from '../util/errors.ts';

/**
 * Resolves a file named inside a bundle, refusing absolute paths, `..`, and links that lead
 * out of the bundle, and anything that is not a regular file under the size limit.
 * `what` and `folder` name the file and its folder in messages (a sidecar in a test folder...).
 */
export function resolveInside(root: string, name: string, maxBytes: number, what = 'clip', folder = 'bundle'): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 1024) throw new UserError('bad_file', `a ${what} name must be a short relative path`);
  if (name.includes('\0')) throw new UserError('bad_file', `${what} name ${JSON.stringify(name)} holds a NUL byte`);
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.startsWith('\\')) {
    throw new UserError('bad_file', `${what} ${JSON.stringify(name)} is an absolute path; it must be inside the ${folder}`);
  }
  if (name.split(/[\\/]/).some((part) => part === '..')) throw new UserError('bad_file', `${what} ${JSON.stringify(name)} climbs out of the ${folder} with '..'`);
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
  return real;
}

/** Reads a small text file (JSON metadata) with a size cap, refusing non-files. */
export function statSmallFile(path: string, maxBytes: number, what: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    throw new UserError('bad_file', `${what} is missing`);
  }
  if (st.isSymbolicLink()) st = statSync(path);
  if (!st.isFile()) throw new UserError('bad_file', `${what} is not a regular file`);
  if (st.size > maxBytes) throw new UserError('bad_file', `${what} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
}
