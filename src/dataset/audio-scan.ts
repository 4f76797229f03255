import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { UserError } from '../util/errors.ts';
import type { JobControl } from './jobs.ts';

/** Limits of one import: far above a real field season, low enough that a hostile tree cannot exhaust memory. */
export const SCAN_LIMITS = {
  files: 100_000,
  entries: 2_000_000,
  depth: 64,
  fileBytes: 256 * 1024 * 1024,
} as const;

export const WAV_NAME = /\.(wav|wave)$/i;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface ScannedFile {
  /** The resolved path the bytes are read from. */
  realPath: string;
  /** What the clip is called: the import root's name, then the path below it, with '/' separators. */
  name: string;
  /** The top folder below the root (the root's own name for files directly in it): the default site. */
  site: string;
  /** The folder holding the file, as named: the default sensor (one recorder per folder). */
  folder: string;
}

export interface ScanRefusal {
  path: string;
  message: string;
}

export interface ScanResult {
  files: ScannedFile[];
  refused: ScanRefusal[];
  /** Regular files without a WAV name, left alone. */
  ignored: number;
}

const inside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};
const inodeKey = (st: Stats) => `${st.dev}:${st.ino}`;

/**
 * Finds the WAV files under the given paths (files or folders, recursively). Symbolic links are
 * followed only while they stay inside the folder being imported; a folder reached twice (a link
 * loop, or two links to one place) is walked once, and a file reached twice is imported once.
 */
export async function scanAudioPaths(paths: readonly string[], ctl: JobControl): Promise<ScanResult> {
  const out: ScanResult = { files: [], refused: [], ignored: 0 };
  const seenFiles = new Set<string>();
  let entries = 0;

  const addFile = (realPath: string, st: Stats, name: string, site: string, folder: string) => {
    if (seenFiles.has(inodeKey(st))) return;
    seenFiles.add(inodeKey(st));
    if (st.size > SCAN_LIMITS.fileBytes) {
      out.refused.push({ path: name, message: `${st.size} bytes is over the ${SCAN_LIMITS.fileBytes}-byte limit for one clip` });
      return;
    }
    if (out.files.length >= SCAN_LIMITS.files) {
      throw new UserError('bad_file', `more than ${SCAN_LIMITS.files} WAV files: import the folders one at a time`);
    }
    out.files.push({ realPath, name, site, folder });
  };

  for (const given of paths) {
    if (given.includes('\0')) {
      out.refused.push({ path: given.replaceAll('\0', '\\0'), message: 'the path holds a NUL byte' });
      continue;
    }
    let real: string;
    let st: Stats;
    try {
      lstatSync(given);
      real = realpathSync(given);
      st = statSync(real);
    } catch {
      out.refused.push({ path: given, message: 'does not exist (or is a broken link)' });
      continue;
    }
    const rootName = basename(real);
    if (st.isFile()) {
      // A single file: its folder stands for both site and sensor.
      const folderName = basename(dirname(real));
      if (!WAV_NAME.test(given)) out.refused.push({ path: given, message: 'is not a .wav file' });
      else addFile(real, st, basename(given), folderName, folderName);
      continue;
    }
    if (!st.isDirectory()) {
      out.refused.push({ path: given, message: 'is neither a file nor a folder' });
      continue;
    }
    const visitedDirs = new Set<string>([inodeKey(st)]);
    const stack: { dir: string; rel: string; depth: number }[] = [{ dir: real, rel: '', depth: 0 }];
    while (stack.length > 0) {
      const { dir, rel, depth } = stack.pop()!;
      let list: Dirent[];
      try {
        list = readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        out.refused.push({ path: `${rootName}/${rel}`, message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}` });
        continue;
      }
      list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: typeof stack = [];
      for (const entry of list) {
        if (++entries > SCAN_LIMITS.entries) throw new UserError('bad_file', `more than ${SCAN_LIMITS.entries} entries below ${given}: import smaller folders`);
        if (entries % 512 === 0) {
          ctl.progress('scan', out.files.length, 0);
          await ctl.checkpoint();
        }
        const childRel = rel ? `${rel}/${entry.name}` : entry.name;
        const shown = `${rootName}/${childRel}`;
        if (CONTROL.test(entry.name)) {
          out.refused.push({
            path: JSON.stringify(shown),
            message: 'its name holds control characters (newline, tab ...), which no export could write safely',
          });
          continue;
        }
        const full = join(dir, entry.name);
        let target = full;
        let tst: Stats;
        try {
          if (entry.isSymbolicLink()) {
            target = realpathSync(full);
            if (!inside(real, target)) {
              out.refused.push({ path: shown, message: 'is a link leading out of the imported folder' });
              continue;
            }
          }
          tst = statSync(target);
        } catch {
          out.refused.push({ path: shown, message: 'is a broken link or vanished while reading' });
          continue;
        }
        if (tst.isDirectory()) {
          if (visitedDirs.has(inodeKey(tst))) continue; // a loop, or a second way to a folder already walked
          if (depth + 1 > SCAN_LIMITS.depth) {
            out.refused.push({ path: shown, message: `is more than ${SCAN_LIMITS.depth} folders deep` });
            continue;
          }
          visitedDirs.add(inodeKey(tst));
          subdirs.push({ dir: target, rel: childRel, depth: depth + 1 });
        } else if (tst.isFile()) {
          if (!WAV_NAME.test(entry.name)) {
            out.ignored++;
            continue;
          }
          const top = childRel.includes('/') ? childRel.slice(0, childRel.indexOf('/')) : rootName;
          const folder = rel ? `${rootName}/${rel}` : rootName;
          addFile(target, tst, shown, top, folder);
        } else if (WAV_NAME.test(entry.name)) {
          out.refused.push({ path: shown, message: 'is not a regular file (a pipe, socket or device)' });
        }
      }
      // Depth first, in name order: pushing in reverse pops the first name first.
      stack.push(...subdirs.reverse());
    }
  }
  return out;
}
