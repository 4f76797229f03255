import type { MethodArgs } from '../contract/index.ts';
import { importFolders } from '../ingest/import.ts';
import { UserError } from '../util/errors.ts';
import { actorName, type Handlers } from './handlers.ts';
import type { Session } from './session.ts';

export type OpenPurpose = 'alerts' | 'audio' | Extract<MethodArgs<'choosePath'>, { mode: 'open' }>['purpose'];
export type SaveRequest = Extract<MethodArgs<'choosePath'>, { mode: 'save' }>;

/**
 * What only a desktop shell can do: native open and save dialogs. The Electron main process
 * attaches one; on the loopback host there is none and these methods answer `unavailable`.
 * The core never knows which toolkit draws the dialog.
 */
export interface DesktopBridge {
  /** Paths the person chose, or null when they cancelled. The dialog belongs to the session's window. */
  chooseOpenPaths(session: Session, purpose: OpenPurpose): Promise<string[] | null>;
  chooseSavePath(session: Session, request: SaveRequest): Promise<string | null>;
  /** Prints a self-contained HTML page (an audit report) to PDF bytes, as the shell's Chromium lays it out. */
  printPdf?(html: string, options: { pageSize: 'A4'; printBackground: boolean; landscape: boolean }): Promise<Uint8Array>;
}

function need(bridge: DesktopBridge | null): DesktopBridge {
  if (!bridge) throw new UserError('unavailable', 'native file dialogs exist only in the desktop app; on the web, give paths to importPaths');
  return bridge;
}

export const desktopHandlers = (bridge: () => DesktopBridge | null): Handlers<'chooseImport' | 'choosePath'> => ({
  chooseImport: async (ctx, { kind }) => {
    const paths = await need(bridge()).chooseOpenPaths(ctx.session, kind);
    if (!paths || paths.length === 0) return { cancelled: true, outcomes: [] };
    const actor = actorName(ctx);
    return { cancelled: false, outcomes: await importFolders(ctx.core, paths, actor) };
  },
  choosePath: async (ctx, args) => {
    const b = need(bridge());
    if (args.mode === 'open') {
      const paths = (await b.chooseOpenPaths(ctx.session, args.purpose)) ?? [];
      return { path: paths[0] ?? null, paths };
    }
    const path = await b.chooseSavePath(ctx.session, args);
    return { path, paths: path === null ? [] : [path] };
  },
});
