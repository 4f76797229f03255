import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportOutcome } from '../contract/index.ts';
import { cliActor, openCore } from '../core/core.ts';
import { resolveDataDir } from '../core/paths.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { importFolder } from '../ingest/import.ts';
import { isUserError } from '../util/errors.ts';
import { READERS } from '../ingest/readers.ts';
import { UsageError } from './command.ts';
import type { CliIo } from './io.ts';

/** How deep a folder of alerts is searched: a folder of firing positions of tests is two levels. */
const MAX_DEPTH = 3;

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The alert folders a path names: itself when it is one (or is not a folder at all, so the
 * importer says why), else every alert folder below it, in name order, not looking inside an
 * alert folder nor into hidden folders. Empty when a folder holds no alert anywhere.
 */
export function alertFolders(path: string, depth = 0): string[] {
  if (!isDir(path) || READERS.some((r) => r.detect(path))) return [path];
  if (depth >= MAX_DEPTH) return [];
  const names = readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  return names.flatMap((name) => {
    const child = join(path, name);
    return isDir(child) && READERS.some((r) => r.detect(child)) ? [child] : alertFolders(child, depth + 1);
  });
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { data: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length === 0) throw new UsageError('say what to import: earwitness import PATH... (earwitness import --help)');
  const core = openCore({ dataDir: resolveDataDir(values.data) });
  try {
    const actor = cliActor().name;
    const outcomes: ImportOutcome[] = [];
    // Each outcome is printed as it happens: a big folder takes a while, and the reader sees it move.
    const report = (o: ImportOutcome) => {
      outcomes.push(o);
      if (!values.json) io.out(`${o.status.padEnd(9)} ${o.path}: ${o.message}\n`);
    };
    for (const path of positionals) {
      // No path into the data folder's own files, not even from its own command line.
      try {
        checkOutsideDataFolder(core.config.dataDir, path, 'walk');
      } catch (e) {
        if (!isUserError(e)) throw e;
        report({ path, status: 'refused', alertId: null, message: e.message });
        continue;
      }
      const folders = alertFolders(path);
      if (folders.length === 0) {
        // Neither an alert nor a folder of them: the importer's own refusal says what an alert is.
        const refused = importFolder(core, path, actor);
        report(refused.status === 'refused' ? { ...refused, message: `${refused.message}, and no folder below it is one either` } : refused);
        continue;
      }
      const before = outcomes.length;
      for (const folder of folders) report(importFolder(core, folder, actor));
      if (folders.length > 1 && !values.json) {
        const mine = outcomes.slice(before);
        const count = (s: ImportOutcome['status']) => mine.filter((o) => o.status === s).length;
        io.out(`${path}: ${folders.length} alert folders, ${count('imported')} imported, ${count('duplicate')} already there, ${count('refused')} refused\n`);
      }
    }
    if (values.json) io.out(`${JSON.stringify({ outcomes }, null, 2)}\n`);
    return outcomes.some((o) => o.status === 'refused') ? 1 : 0;
  } finally {
    await core.close();
  }
}
