import { BrowserWindow, screen, type WebPreferences } from 'electron';
import { join } from 'node:path';
import type { Core } from '../src/core/core.ts';
import { APP_ENTRY_URL } from './policy/urls.ts';
import { MIN_SIZE, parseWindowState, restoreWindow, WINDOW_STATE_KEY, type WindowState } from './policy/window-state.ts';
import type { Seats } from './seats.ts';
import { log } from '../src/util/log.ts';

/** Every window's page: sandboxed, context-isolated, no Node anywhere, no webview, DevTools only in development. */
export function hardenedWebPreferences(development: boolean): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: development,
  };
}

/**
 * The review window: sandboxed, context-isolated, no Node, the preload as its only bridge.
 * It opens where it was last closed (if that is still on a screen) and remembers its place in
 * the store's settings. Window geometry is no one's data, so it is not audited.
 */
export function createMainWindow(core: Core, seats: Seats, o: { development: boolean }): BrowserWindow {
  const saved = parseWindowState(core.store.settings.get<unknown>(WINDOW_STATE_KEY));
  const { bounds, maximized } = restoreWindow(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Earwitness',
    backgroundColor: '#14171c',
    webPreferences: { ...hardenedWebPreferences(o.development), preload: join(__dirname, 'preload.cjs') },
  });
  seats.open(win);

  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (win.isDestroyed() || win.isMinimized()) return;
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      core.store.settings.put(WINDOW_STATE_KEY, state, core.clock.nowUs());
    } catch (e) {
      log.error({ err: e }, 'could not save the window position');
    }
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 750);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', save);

  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  win.webContents.on('render-process-gone', (_e, details) => {
    log.error({ reason: details.reason }, 'the UI process ended; reloading');
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) void win.loadURL(APP_ENTRY_URL);
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
