import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Core } from '../../src/core/core.ts';

/** Row counts of every table in the database (found in sqlite_master, so new tables are counted too). */
export function tableCounts(core: Core): Record<string, number> {
  const names = core.store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(
    names.map((n) => [
      n,
      core.store.db
        .prepare(`SELECT count(*) FROM "${n.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number,
    ]),
  );
}

/** Every file under the clip store, temporary ones included. */
export function clipFiles(core: Core): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(core.clips.dir, p));
    }
  };
  walk(core.clips.dir);
  return out.sort();
}

/** What an import may change: all table counts and the clip store's files. */
export function storeSnapshot(core: Core): { tables: Record<string, number>; clips: string[] } {
  return { tables: tableCounts(core), clips: clipFiles(core) };
}
