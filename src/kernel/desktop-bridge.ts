import type { MethodArgs } from '../contract/index.ts';
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
  /** The path of a centre's private CA (a PEM file) the person chose, or null when they cancelled. */
  chooseCentreCa?(session: Session): Promise<string | null>;
  /** Keeps where the app works and restarts it into that choice, once this call has answered. */
  setWorkplace?(workplace: Workplace): Promise<void>;
}

/** Where the desktop app works: its own store, or a centre's UI at one https origin (with the centre's private CA, if it has one). */
export type Workplace = { kind: 'local' } | { kind: 'centre'; origin: string; caPem: string | null };
