import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ClipRecordRow, SensorRecordRow } from '../kernel/store-port.ts';
import type { ClipStore } from '../store/clip-store.ts';
import type { VerifyProblem } from './problems.ts';

/** A clip file's size and SHA-256, or why it could not be read. */
type FileHash = { size: number; sha: string } | { missing: true } | { unreadable: true };

/**
 * Reads and hashes a file in 1 MiB chunks: the reads are asynchronous and the event loop serves
 * other calls between chunks, so re-hashing a centre's clips never stalls the seats for more than
 * one chunk's SHA-256 (about 2 ms). Not a worker thread: hashing is I/O bound here, and a chunk
 * costs less than the copy to another thread would.
 */
async function hashFile(path: string): Promise<FileHash> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).byteLength;
    }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { missing: true } : { unreadable: true };
  }
  return { size, sha: hash.digest('hex') };
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
  for (const c of ordered) {
    if (problems.length >= limit) break;
    const path = clips.path(c.sha256);
    const base = { kind: 'clip' as const, sha256: c.sha256, path, seq: clipSeq.get(c.sha256) ?? null, uses: uses.get(c.sha256) ?? [] };
    const used = base.uses.map((u) => `alert ${u.alertId} sensor ${u.sensorId}`).join(', ') || 'no sensor';
    const actual = await hashFile(path);
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
