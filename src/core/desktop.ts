import { basename, join, relative } from 'node:path';
import type { MethodArgs } from '../contract/index.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { importFolders } from '../ingest/import.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { actorName, type Handlers } from './handlers.ts';
import type { Session } from './session.ts';

export type OpenPurpose = 'alerts' | 'audio' | Extract<MethodArgs<'choosePath'>, { mode: 'open' }>['purpose'];
export type SaveRequest = Extract<MethodArgs<'choosePath'>, { mode: 'save' }>;

/**
 * What only a desktop shell can do: native open and save dialogs. The Electron main process
 * attaches one; on the loopback host there is none and these methods answer `unavailable`.
 * The core never knows which toolkit draws the dialog. The paths chosen stay in the main process
 * and the core: the page gets a grant (src/files/grants.ts) or the outcome of the import.
 */
export interface DesktopBridge {
  /** Paths the person chose, or null when they cancelled. The dialog belongs to the session's window. */
  chooseOpenPaths(session: Session, purpose: OpenPurpose): Promise<string[] | null>;
  chooseSavePath(session: Session, request: SaveRequest): Promise<string | null>;
  /** Prints a self-contained HTML page (an audit report) to PDF bytes, as the shell's Chromium lays it out. */
  printPdf?(html: string, options: { pageSize: 'A4'; printBackground: boolean; landscape: boolean }): Promise<Uint8Array>;
}

function need(bridge: DesktopBridge | null): DesktopBridge {
  if (!bridge)
    throw new UserError(
      'unavailable',
      'native file dialogs exist only in the desktop app; on the web, send the files (uploads) and take the results as downloads',
    );
  return bridge;
}

export const desktopHandlers = (bridge: () => DesktopBridge | null): Handlers<'chooseImport' | 'choosePath'> => ({
  chooseImport: async (ctx, { kind }) => {
    const paths = await need(bridge()).chooseOpenPaths(ctx.session, kind);
    if (!paths || paths.length === 0) return { cancelled: true, outcomes: [] };
    const actor = actorName(ctx);
    // The page is told each folder's name and outcome, never where it is on the disk.
    const shown = (p: string, o: { path: string; status: 'imported' | 'duplicate' | 'refused'; alertId: number | null; message: string }) => {
      const name = o.path === p ? basename(p) : join(basename(p), relative(p, o.path));
      return { ...o, path: name, message: o.message.replaceAll(o.path, name).replaceAll(p, basename(p)) };
    };
    const outcomes = [];
    for (const p of paths) {
      try {
        checkOutsideDataFolder(ctx.core.config.dataDir, p, 'walk');
      } catch (e) {
        if (!isUserError(e)) throw e;
        outcomes.push(shown(p, { path: p, status: 'refused', alertId: null, message: e.message }));
        continue;
      }
      // A folder of alert folders is imported one alert at a time.
      for (const o of await importFolders(ctx.core, [p], actor)) outcomes.push(shown(p, o));
    }
    return { cancelled: false, outcomes };
  },
  choosePath: async (ctx, args) => {
    const b = need(bridge());
    const paths =
      args.mode === 'open'
        ? await b.chooseOpenPaths(ctx.session, args.purpose)
        : await b.chooseSavePath(ctx.session, args).then((p) => (p === null ? null : [p]));
    if (!paths || paths.length === 0) return { cancelled: true, grantId: null, names: [] };
    const { grantId, names } = ctx.core.files.grant(ctx.session.id, args.mode, args.purpose, paths);
    return { cancelled: false, grantId, names };
  },
});
