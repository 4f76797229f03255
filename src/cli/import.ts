import { parseArgs } from 'node:util';
import { cliActor, openCore } from '../core/core.ts';
import { resolveDataDir } from '../core/paths.ts';
import { importFolder } from '../ingest/import.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { isUserError } from '../util/errors.ts';
import type { Command } from './command.ts';

export const importCommand: Command = {
  name: 'import',
  usage: 'earwitness import PATH... [--data DIR] [--json]',
  summary: 'import alert bundles, sensor-WAV folders or research test folders into the store',
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { data: { type: 'string' }, json: { type: 'boolean' } } });
    if (positionals.length === 0) {
      process.stderr.write(`usage: ${this.usage}\n`);
      return 2;
    }
    const core = openCore({ dataDir: resolveDataDir(values.data) });
    try {
      const actor = cliActor().name;
      const outcomes = positionals.map((p) => {
        // No path into the data folder's own files, not even from its own command line.
        try {
          checkOutsideDataFolder(core.config.dataDir, p, 'walk');
        } catch (e) {
          if (isUserError(e)) return { path: p, status: 'refused' as const, alertId: null, message: e.message };
          throw e;
        }
        return importFolder(core, p, actor);
      });
      if (values.json) process.stdout.write(`${JSON.stringify({ outcomes }, null, 2)}\n`);
      else for (const o of outcomes) process.stdout.write(`${o.status.padEnd(9)} ${o.path}: ${o.message}\n`);
      return outcomes.some((o) => o.status === 'refused') ? 1 : 0;
    } finally {
      await core.close();
    }
  },
};
