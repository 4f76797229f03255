import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
// yazl writes a zip as a stream, reading each file only when its turn comes, so a data set of
// gigabytes of WAVs never sits in memory; it writes ZIP64 when sizes need it and has no
// dependency but a CRC routine. It is small, stable and kept by the author of yauzl, which the
// tests read the zips back with.
import { ZipFile } from 'yazl';

/** Stored as they are: audio barely deflates, and storing keeps a large export quick. */
const STORED = /\.(wav|wave|flac|mp3|ogg|zip)$/i;

/**
 * Zips files of a folder, each under `top/` (so unzipping gives one folder, as the command line's
 * export is), into `zipPath`. `files` are relative to `dir`, '/' separated, in the order written.
 */
export async function zipFolder(dir: string, files: readonly string[], top: string, zipPath: string, mtime: Date): Promise<void> {
  const zip = new ZipFile();
  for (const f of files) zip.addFile(join(dir, ...f.split('/')), `${top}/${f}`, { compress: !STORED.test(f), mtime, mode: 0o644 });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath, { flags: 'wx', mode: 0o600 }));
}
