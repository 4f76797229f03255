import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { fail, IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL, METHOD_NAMES, type EventName, type Result } from '../src/contract/index.ts';
import type { Core } from '../src/core/core.ts';
import { callInput, senderProblem } from './policy/ipc.ts';
import { themeFromResult, type Theme } from './policy/theme.ts';
import type { Seats } from './seats.ts';
import { log } from '../src/util/log.ts';

/**
 * The Electron transport of the contract: one ipcMain.handle per method, on `earwitness:<method>`.
 * Each call's sender must be the main frame of the bundled app in one of our windows; its one
 * argument goes to core.dispatch, which checks roles and validates it with the method's schema.
 * Handlers always resolve to a Result, so no stack trace crosses into the page.
 */
export function installIpc(core: Core, seats: Seats, o: { onTheme(theme: Theme): void }): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(`${IPC_CHANNEL_PREFIX}${method}`, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Result<unknown>> => {
      const session = seats.sessionOf(event.sender);
      const frame = event.senderFrame;
      const problem = senderProblem({ frameUrl: frame?.url ?? null, isMainFrame: !!frame && frame.parent === null, knownWindow: session !== undefined });
      if (problem || !session) {
        log.warn({ method, problem }, 'refused an IPC call');
        return fail('forbidden', problem ?? 'unknown sender');
      }
      const input = callInput(args);
      if (!input.ok) return fail('invalid_input', input.message);
      const result = await core.dispatch(session, method, input.input);
      const theme = result.ok ? themeFromResult(method, result.value) : null;
      if (theme) o.onTheme(theme);
      return result;
    });
  }
  // Core events go to every window as the core allows that seat (signed in, unlocked, QA seal); the preload hands the page only the payload.
  const unsubscribe = core.events.subscribe((event: EventName, payload: unknown) => {
    for (const w of seats.windows()) {
      const session = seats.sessionOf(w.webContents);
      const allowed = session ? core.eventFor(session, event, payload as never) : null;
      if (allowed !== null) w.webContents.send(IPC_EVENT_CHANNEL, { event, payload: allowed });
    }
  });
  return () => {
    unsubscribe();
    for (const method of METHOD_NAMES) ipcMain.removeHandler(`${IPC_CHANNEL_PREFIX}${method}`);
  };
}
