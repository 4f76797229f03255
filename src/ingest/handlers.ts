import { actorName, type Handlers } from '../core/handlers.ts';
import { importFolder } from './import.ts';

export const ingestHandlers: Handlers<'importPaths'> = {
  importPaths: (ctx, { paths }) => ({ outcomes: paths.map((p) => importFolder(ctx.core, p, actorName(ctx))) }),
};
