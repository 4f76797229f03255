import { parseArgs } from 'node:util';
import { cliActor, openCore } from '../core/core.ts';
import { resolveDataDir } from '../core/paths.ts';
import { importFolders } from '../ingest/import.ts';
import type { ImportOutcome } from '../contract/index.ts';
import type { Command } from './command.ts';

export const importCommand: Command = {
  name: 'import',
  usage: 'earwitness import PATH... [--data DIR] [--json]',
  summary: 'import alert bundles, sensor-WAV folders or research test folders (or folders of them) into the store',
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { data: { type: 'string' }, json: { type: 'boolean' } } });
    if (positionals.length === 0) {
      process.stderr.write(`usage: ${this.usage}\n`);
      return 2;
    }
    const core = openCore({ dataDir: resolveDataDir(values.data) });
    try {
      const actor = cliActor().name;
      // One line per alert as soon as it is decided (a folder of many bundles is imported one by one).
      const print = (o: ImportOutcome) => process.stdout.write(`${o.status.padEnd(9)} ${o.path}: ${o.message}\n`);
      const outcomes = await importFolders(core, positionals, actor, values.json ? undefined : print);
      if (values.json) process.stdout.write(`${JSON.stringify({ outcomes }, null, 2)}\n`);
      return outcomes.some((o) => o.status === 'refused') ? 1 : 0;
    } finally {
      await core.close();
    }
  },
};
