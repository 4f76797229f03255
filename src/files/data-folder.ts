import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ANCHOR_FILE } from '../audit/anchors.ts';
import { dataPaths } from '../kernel/paths.ts';
import { UserError } from '../util/errors.ts';

/** How a path from outside the core is used: a file read, a folder read through, or a file or folder written. */
export type PathUse = 'read' | 'walk' | 'write';

/** The data folder's own files and folders, which no import reads and no export writes, with what each is. */
function ownEntries(dataDir: string): { path: string; what: string }[] {
  const p = dataPaths(dataDir);
  return [
    { path: p.database, what: 'the database' },
    { path: `${p.database}-wal`, what: "the database's write-ahead log" },
    { path: `${p.database}-shm`, what: "the database's shared memory" },
    { path: `${p.database}-journal`, what: "the database's journal" },
    { path: join(dataDir, ANCHOR_FILE), what: 'the audit anchors' },
    { path: p.clips, what: 'the clip store' },
    { path: p.logs, what: 'the logs' },
    { path: p.transfers, what: "the seats' uploads and downloads" },
    { path: p.maps, what: 'the uploaded maps' },
    { path: p.electron, what: "the desktop app's profile" },
  ];
}

/** Written into, these would feed the core's own intake: no export goes there. */
const intakeEntries = (dataDir: string) => [
  { path: dataPaths(dataDir).inbox, what: 'the inbox' },
  { path: dataPaths(dataDir).demo, what: "the demo network's folder" },
];

const foldCase = process.platform === 'win32' || process.platform === 'darwin';
const comparable = (p: string) => (foldCase ? p.toLowerCase() : p);
const within = (root: string, p: string) => {
  const rel = relative(comparable(root), comparable(p));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** The path with every link resolved; for one that does not exist yet, its nearest existing folder resolved and the rest appended. */
function realOrIntended(path: string): string {
  const abs = resolve(path);
  let existing = abs;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(basename(existing));
    existing = parent;
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return abs;
  }
}

const inode = (p: string): string | null => {
  try {
    const st = statSync(p);
    return st.isFile() ? `${st.dev}:${st.ino}` : null;
  } catch {
    return null;
  }
};

/**
 * Refuses a path from outside the core (the command line's arguments, a desktop dialog's choice)
 * that would read or write the data folder's own files: the database and its -wal and -shm, the
 * audit anchors, the clip store, the logs, the seats' transfers. Links are resolved first and a
 * hard link to one of those files is caught by its inode, so no spelling reaches them. A folder
 * read recursively may not hold the data folder either, and no export goes into the inbox.
 * Returns the absolute path.
 */
export function checkOutsideDataFolder(dataDir: string, path: string, use: PathUse): string {
  if (path.includes('\0')) throw new UserError('invalid_input', 'the path holds a NUL byte');
  const abs = resolve(path);
  const real = realOrIntended(abs);
  const realData = realOrIntended(dataDir);
  const guarded = [...ownEntries(realData), ...(use === 'write' ? intakeEntries(realData) : [])];
  for (const e of guarded) {
    if (within(e.path, real)) {
      throw new UserError(
        'forbidden',
        `${abs} is ${comparable(e.path) === comparable(real) ? '' : 'inside '}${e.what} of the data folder ${realData}: choose a place outside it`,
      );
    }
  }
  const itself = comparable(real) === comparable(realData);
  // A folder read through may not hold the data folder; nothing is written over the data folder itself.
  if ((use === 'walk' && within(real, realData)) || (use === 'write' && itself)) {
    throw new UserError('forbidden', `${abs} ${itself ? 'is' : 'holds'} the data folder ${realData}: choose a place outside it`);
  }
  const node = inode(real);
  if (node !== null) {
    for (const e of ownEntries(realData)) {
      if (inode(e.path) === node) throw new UserError('forbidden', `${abs} is a link to ${e.what} of the data folder: choose another file`);
    }
  }
  return abs;
}
