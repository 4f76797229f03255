import { copyFileSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ANCHOR_FILE } from '../audit/anchors.ts';
import { describeProblem } from '../audit/problems.ts';
import { verifyAudit } from '../audit/verify.ts';
import { openCore } from '../core/core.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { dataPaths, resolveDataDir } from '../kernel/paths.ts';
import { backupSqliteFile } from '../store/sqlite/backup.ts';
import { isUserError } from '../util/errors.ts';
import { UsageError } from './command.ts';
import type { CliIo } from './io.ts';

/** A backup that cannot be made whole: nothing is kept, exit status 1. */
class BackupRefused extends Error {}

/** What a copy of one folder of files came to. */
interface Copied {
  files: number;
  bytes: number;
}

/**
 * Copies the regular files of a folder tree (the clip store, the uploaded maps). Anything else in
 * it (a link, a device) is refused rather than followed: the data folder is ours, so such an
 * entry was put there by someone else, and a backup that follows it could copy any file.
 */
function copyTree(from: string, to: string, counted: Copied = { files: 0, bytes: 0 }): Copied {
  if (!existsSync(from)) return counted;
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(from)) {
    // A file being written (the clip store writes NAME.tmp and renames it) is not a file yet.
    if (name.endsWith('.tmp')) continue;
    const source = join(from, name);
    const st = lstatSync(source);
    if (st.isDirectory()) copyTree(source, join(to, name), counted);
    else if (st.isFile()) {
      // A clone where the file system can (the clips never change), a copy elsewhere.
      copyFileSync(source, join(to, name), constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      counted.files++;
      counted.bytes += st.size;
    } else throw new BackupRefused(`${source} is neither a file nor a folder: the backup does not follow it`);
  }
  return counted;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

/**
 * `earwitness backup --out DIR`: a copy of a workstation's data folder that is itself a data
 * folder (serve it, verify it, or move it into place), taken while the app runs: the database by
 * SQLite's online backup, the audit anchors, the clip store and the uploaded maps; not the logs,
 * transfers, inbox or the desktop profile. The copy is made under a temporary name beside DIR and
 * renamed only once its audit log, records and clips verify, so a DIR that exists is a whole one.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, out: { type: 'string' }, 'no-verify': { type: 'boolean' } } });
  const dataDir = resolveDataDir(values.data);
  const paths = dataPaths(dataDir);
  if (!values.out) throw new UsageError('say where the backup goes: --out DIR (a folder that does not exist yet)');
  if (!existsSync(paths.database)) throw new UsageError(`${dataDir} holds no Earwitness database (earwitness.sqlite): nothing to back up`);
  let out: string;
  try {
    out = checkOutsideDataFolder(dataDir, values.out, 'write');
  } catch (e) {
    throw isUserError(e) ? new UsageError(e.message) : e;
  }
  if (existsSync(out)) throw new UsageError(`${out} exists already: a backup goes into a new folder, never over another`);
  if (!statSync(dirname(out), { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dirname(out)} is not a folder that exists`);

  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  try {
    mkdirSync(partial, { mode: 0o700 });
    const started = Date.now();
    const copy = dataPaths(partial);
    const database = await backupSqliteFile(paths.database, copy.database);
    if (existsSync(join(dataDir, ANCHOR_FILE))) copyFileSync(join(dataDir, ANCHOR_FILE), join(partial, ANCHOR_FILE), constants.COPYFILE_EXCL);
    // After the database: a clip is stored before the row that names it, so every clip the copy names is here.
    const clips = copyTree(paths.clips, copy.clips);
    const maps = copyTree(paths.maps, copy.maps);
    io.err(`copied: the database (${mib(database.bytes)}, schema ${database.schema}), ${clips.files} clips (${mib(clips.bytes)}), ${maps.files} maps\n`);

    let verdict = 'not verified (--no-verify)';
    if (!values['no-verify']) {
      const core = openCore({ dataDir: partial });
      try {
        const r = await verifyAudit(core);
        if (!r.ok)
          throw new BackupRefused(
            `the copy does not verify, so it was not kept: ${describeProblem(r.first!)} (earwitness audit verify --data ${dataDir} says more)`,
          );
        verdict = `verified: ${r.entries} audit entries, ${r.checked.clips} clips${r.head ? `, head entry ${r.head.seq} ${r.head.hash}` : ''}`;
      } finally {
        await core.close();
      }
    }
    renameSync(partial, out);
    io.out(`backup of ${dataDir} in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s), ${verdict}\n`);
    return 0;
  } catch (e) {
    let leftOver = '';
    try {
      rmSync(partial, { recursive: true, force: true });
    } catch (cleanup) {
      leftOver = ` (and the unfinished copy ${partial} could not be removed: ${(cleanup as Error).message})`;
    }
    // A file system's refusal (a full disk, a folder it may not write) is the backup's failure, told plainly.
    const systemError = (e as NodeJS.ErrnoException).code !== undefined && (e as NodeJS.ErrnoException).syscall !== undefined;
    if (!(e instanceof BackupRefused) && !systemError) throw e;
    io.err(
      `earwitness backup: ${systemError ? `the copy could not be made, so nothing was kept: ${(e as Error).message}` : (e as Error).message}${leftOver}\n`,
    );
    return 1;
  }
}
