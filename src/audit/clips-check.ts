import { existsSync, statSync } from 'node:fs';
import type { ClipStore } from '../store/clip-store.ts';
import type { Store } from '../store/store.ts';
import type { VerifyProblem } from './problems.ts';

/**
 * Re-hashes every clip file the database knows, in the order the log recorded them, and names
 * the first that is missing or whose bytes no longer give its SHA-256, with the alerts and
 * sensors that use it and the entry that recorded its hash at import.
 */
export function checkClips(store: Store, clips: ClipStore, clipSeq: ReadonlyMap<string, number>, limit = 200): { checked: number; problems: VerifyProblem[] } {
  const uses = new Map<string, { alertId: number; sensorId: string }[]>();
  for (const s of store.auditReads.sensors()) uses.set(s.clip_sha256, [...(uses.get(s.clip_sha256) ?? []), { alertId: s.alert_id, sensorId: s.sensor_id }]);
  const rows = store.auditReads
    .clips()
    .sort((a, b) => (clipSeq.get(a.sha256) ?? Infinity) - (clipSeq.get(b.sha256) ?? Infinity) || (a.sha256 < b.sha256 ? -1 : 1));
  const problems: VerifyProblem[] = [];
  for (const c of rows) {
    if (problems.length >= limit) break;
    const path = clips.path(c.sha256);
    const base = { kind: 'clip' as const, sha256: c.sha256, path, seq: clipSeq.get(c.sha256) ?? null, uses: uses.get(c.sha256) ?? [] };
    const used = base.uses.map((u) => `alert ${u.alertId} sensor ${u.sensorId}`).join(', ') || 'no sensor';
    if (!existsSync(path)) {
      problems.push({ ...base, problem: 'missing', message: `the file of ${used} is missing` });
      continue;
    }
    const actual = (() => {
      try {
        return { size: statSync(path).size, sha: clips.verify(c.sha256) ? c.sha256 : hashOf(clips, c.sha256) };
      } catch {
        return { size: -1, sha: 'unreadable' };
      }
    })();
    if (actual.sha !== c.sha256) {
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
  return { checked: rows.length, problems };
}

function hashOf(clips: ClipStore, sha256: string): string {
  try {
    return (clips.constructor as typeof ClipStore).hash(clips.read(sha256));
  } catch {
    return 'unreadable';
  }
}
