import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportOutcome } from '../contract/index.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { importFolder } from './import.ts';
import { READERS } from './readers.ts';

/** How far into an upload alerts are looked for: a folder of folders of bundles is deep enough for anyone. */
const FIND_LIMITS = { depth: 8, folders: 20_000, alerts: 1000 } as const;

/**
 * The alert folders in what a seat sent or chose: every folder that one of the readers takes for
 * an alert (a bundle with alert.json, sensor WAVs with smj chunks, a research test folder), not
 * looking inside it further; links are not followed.
 */
export function findAlertFolders(roots: readonly string[]): { folders: string[]; truncated: boolean } {
  const folders: string[] = [];
  let visited = 0;
  const visit = (dir: string, depth: number): boolean => {
    if (++visited > FIND_LIMITS.folders || folders.length >= FIND_LIMITS.alerts) return false;
    if (READERS.some((r) => r.detect(dir))) {
      folders.push(dir);
      return true;
    }
    if (depth >= FIND_LIMITS.depth) return true;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return true;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory() && !visit(join(dir, e.name), depth + 1)) return false;
    }
    return true;
  };
  let complete = true;
  for (const r of roots) complete = visit(r, 0) && complete;
  return { folders, truncated: !complete };
}

/** An outcome as the person may see it: the folder named relative to what they chose, never by a path of the core. */
function shown(o: ImportOutcome, dir: string, display: (p: string) => string): ImportOutcome {
  const name = display(dir);
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    /* gone already: the path as given is all there is to replace */
  }
  const message = o.message.replaceAll(real, name).replaceAll(dir, name);
  return { ...o, path: name, message };
}

export const uploadImportHandlers: Handlers<'importAlertFiles'> = {
  importAlertFiles: async (ctx, { files }) => {
    const actor = actorName(ctx);
    const source = ctx.core.files.takeSource(ctx.session.id, files, ['alerts'], 'walk');
    try {
      const { folders, truncated } = findAlertFolders(source.tree !== null ? [source.tree] : source.roots.map((r) => r.path));
      // One alert at a time: each is read, prepared and committed before the next is opened.
      const outcomes: ImportOutcome[] = [];
      for (const dir of folders) outcomes.push(shown(await importFolder(ctx.core, dir, actor), dir, source.display));
      if (folders.length === 0) {
        const names = source.roots.map((r) => r.name).join(', ');
        outcomes.push({
          path: names,
          status: 'refused',
          alertId: null,
          message: 'no alert found: send folders holding an alert.json bundle, sensor WAVs with smj chunks or a research test folder',
        });
      }
      if (truncated) {
        outcomes.push({
          path: '',
          status: 'refused',
          alertId: null,
          message: `more than ${FIND_LIMITS.alerts} alerts or ${FIND_LIMITS.folders} folders: the rest was not imported; send them in parts`,
        });
      }
      return { outcomes };
    } finally {
      source.release();
    }
  },
};
