import { parseArgs } from 'node:util';
import type { ImportOutcome } from '../contract/index.ts';
import { cliActor } from '../core/core.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { importFolders } from '../ingest/import.ts';
import { isUserError } from '../util/errors.ts';
import { UsageError } from './command.ts';
import { DATABASE_OPTION, openCommandCore } from './database.ts';
import type { CliIo } from './io.ts';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, ...DATABASE_OPTION, json: { type: 'boolean' } },
  });
  if (positionals.length === 0) throw new UsageError('say what to import: earwitness import PATH... (earwitness import --help)');
  const core = await openCommandCore(values);
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
      const before = outcomes.length;
      await importFolders(core, [path], actor, report);
      const folders = outcomes.length - before;
      if (folders > 1 && !values.json) {
        const mine = outcomes.slice(before);
        const count = (s: ImportOutcome['status']) => mine.filter((o) => o.status === s).length;
        io.out(`${path}: ${folders} alert folders, ${count('imported')} imported, ${count('duplicate')} already there, ${count('refused')} refused\n`);
      }
    }
    if (values.json) io.out(`${JSON.stringify({ outcomes }, null, 2)}\n`);
    return outcomes.some((o) => o.status === 'refused') ? 1 : 0;
  } finally {
    await core.close();
  }
}
