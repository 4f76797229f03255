import { actorName, type Handlers } from '../kernel/handlers.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { isUserError } from '../util/errors.ts';
import { importFolders } from './import.ts';

export const ingestHandlers: Handlers<'importPaths'> = {
  importPaths: async (ctx, { paths }) => {
    const outcomes = [];
    for (const p of paths) {
      // The command line's paths may not reach into the data folder's own files.
      try {
        checkOutsideDataFolder(ctx.core.config.dataDir, p, 'walk');
      } catch (e) {
        if (!isUserError(e)) throw e;
        outcomes.push({ path: p, status: 'refused' as const, alertId: null, message: e.message });
        continue;
      }
      outcomes.push(...(await importFolders(ctx.core, [p], actorName(ctx))));
    }
    return { outcomes };
  },
};
