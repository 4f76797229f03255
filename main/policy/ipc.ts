import { isAppUrl } from './urls.ts';

/** What main knows about an IPC call's sender, gathered from the Electron event. */
export interface SenderFacts {
  /** The sending frame's URL, or null if the frame navigated away or was destroyed. */
  frameUrl: string | null;
  /** True when the sender is the top frame of its page (no iframe may call the core). */
  isMainFrame: boolean;
  /** True when the webContents is one of our windows (it has a seat). */
  knownWindow: boolean;
}

/** Why a call must be refused, or null when the sender is our UI's main frame in one of our windows. */
export function senderProblem(f: SenderFacts): string | null {
  if (!f.knownWindow) return 'the call came from a window the shell did not open';
  if (f.frameUrl === null) return 'the sending frame is gone';
  if (!f.isMainFrame) return 'only the main frame of the app may call the core';
  if (!isAppUrl(f.frameUrl)) return 'the sending frame is not the bundled app';
  return null;
}

/**
 * The one argument of a contract call. The preload sends exactly one (the input object, or
 * nothing for methods without input); the core's schemas check its shape.
 */
export function callInput(args: readonly unknown[]): { ok: true; input: unknown } | { ok: false; message: string } {
  if (args.length > 1) return { ok: false, message: `a contract call takes one argument, not ${args.length}` };
  const input = args[0];
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    return { ok: false, message: 'the argument of a contract call is an object' };
  }
  return { ok: true, input };
}
