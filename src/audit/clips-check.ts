import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { ClipRecordRow, SensorRecordRow } from '../kernel/store-port.ts';
import type { ClipStore } from '../store/clip-store.ts';
import type { VerifyProblem } from './problems.ts';

/** A clip file's size and SHA-256, or why it could not be read. */
type FileHash = { size: number; sha: string } | { missing: true } | { unreadable: true };

const CHUNK = 1 << 20;
/** The longest the hashing holds the event loop before it lets other calls in. */
const SLICE_MS = 10;

/**
 * Hands the event loop back (a macrotask turn) once SLICE_MS of work has gone by since the last
 * time, so re-hashing a centre's clips never keeps the seats waiting for more than that.
 */
function slicer(): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < SLICE_MS) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

/**
 * Reads and hashes a file in 1 MiB chunks with synchronous reads, pausing between chunks when
 * the slice is used up. Synchronous on purpose: each asynchronous read is a round trip through
 * libuv's thread pool, which made re-hashing typical clips (tens to hundreds of KB) 4 to 10
 * times slower on a loaded 2-core machine, while the slices keep the event loop free. Not a
 * worker thread: the work is mostly I/O, and a chunk costs less than a copy to another thread.
 */
async function hashFile(path: string, buffer: Buffer, pause: () => Promise<void> | undefined): Promise<FileHash> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { missing: true } : { unreadable: true };
  }
  try {
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      size += n;
      await pause();
    }
    return { size, sha: hash.digest('hex') };
  } catch {
    return { unreadable: true };
  } finally {
    closeSync(fd);
  }
}

/**
 * Re-hashes every clip file the database knows, in the order the log recorded them, and names
 * the first that is missing or whose bytes no longer give its SHA-256, with the alerts and
 * sensors that use it and the entry that recorded its hash at import. The rows come from the
 * verifying read transaction; the files are read after it ended, so no transaction waits on disk.
 */
export async function checkClips(
  rows: { clips: readonly ClipRecordRow[]; sensors: readonly SensorRecordRow[] },
  clips: ClipStore,
  clipSeq: ReadonlyMap<string, number>,
  limit = 200,
): Promise<{ checked: number; problems: VerifyProblem[] }> {
  const uses = new Map<string, { alertId: number; sensorId: string }[]>();
  for (const s of rows.sensors) {
    const use = { alertId: s.alert_id, sensorId: s.sensor_id };
    const list = uses.get(s.clip_sha256);
    if (list) list.push(use);
    else uses.set(s.clip_sha256, [use]);
  }
  const ordered = [...rows.clips].sort((a, b) => (clipSeq.get(a.sha256) ?? Infinity) - (clipSeq.get(b.sha256) ?? Infinity) || (a.sha256 < b.sha256 ? -1 : 1));
  const problems: VerifyProblem[] = [];
  const buffer = Buffer.allocUnsafe(CHUNK);
  const pause = slicer();
  for (const c of ordered) {
    if (problems.length >= limit) break;
    const path = clips.path(c.sha256);
    const base = { kind: 'clip' as const, sha256: c.sha256, path, seq: clipSeq.get(c.sha256) ?? null, uses: uses.get(c.sha256) ?? [] };
    const used = base.uses.map((u) => `alert ${u.alertId} sensor ${u.sensorId}`).join(', ') || 'no sensor';
    const actual = await hashFile(path, buffer, pause);
    if ('missing' in actual) {
      problems.push({ ...base, problem: 'missing', message: `the file of ${used} is missing` });
    } else if ('unreadable' in actual) {
      problems.push({ ...base, problem: 'altered', found: 'unreadable', message: `the file of ${used} cannot be read` });
    } else if (actual.sha !== c.sha256) {
      problems.push({
        ...base,
        problem: 'altered',
        found: actual.sha,
        message: `the file of ${used} was altered: its bytes hash to ${actual.sha.slice(0, 16)}…`,
      });
    } else if (actual.size !== c.bytes) {
      problems.push({ ...base, problem: 'size', message: `the file of ${used} has ${actual.size} bytes, the store recorded ${c.bytes}` });
    }
  }
  return { checked: ordered.length, problems };
}
