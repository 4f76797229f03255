import { actorName, type Handlers } from '../core/handlers.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { isUserError } from '../util/errors.ts';
import { importFolder } from './import.ts';

export const ingestHandlers: Handlers<'importPaths'> = {
  importPaths: (ctx, { paths }) => ({
    outcomes: paths.map((p) => {
      // The command line's paths may not reach into the data folder's own files.
      try {
        checkOutsideDataFolder(ctx.core.config.dataDir, p, 'walk');
      } catch (e) {
        if (isUserError(e)) return { path: p, status: 'refused' as const, alertId: null, message: e.message };
        throw e;
      }
      return importFolder(ctx.core, p, actorName(ctx));
    }),
  }),
};
