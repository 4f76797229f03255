import { actorName, type Handlers } from '../core/handlers.ts';
import { importFolders } from './import.ts';

export const ingestHandlers: Handlers<'importPaths'> = {
  importPaths: async (ctx, { paths }) => ({ outcomes: await importFolders(ctx.core, paths, actorName(ctx)) }),
};
