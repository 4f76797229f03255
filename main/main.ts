/**
 * The Electron main process: one core (store, clips, handlers) for the whole app, one seat per
 * window, the contract over IPC, the UI from app:// and audio from clip://. See
 * main/policy/* for every security decision, as plain functions tested on Node.
 */
import { app, dialog, nativeTheme, session, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { startBackgroundWork } from '../src/core/background.ts';
import { openCore, type Core } from '../src/core/core.ts';
import { dataPaths, resolveDataDir } from '../src/kernel/paths.ts';
import { log, openLogFile } from '../src/util/log.ts';
import { desktopBridge } from './dialogs.ts';
import { guardSession, guardWebContents } from './guards.ts';
import { installIpc } from './ipc.ts';
import { installMenu } from './menu.ts';
import { parseShellArgs } from './policy/args.ts';
import { handleProtocols, registerSchemes } from './protocols.ts';
import { Seats } from './seats.ts';
import { createMainWindow } from './window.ts';
import { startCentreSeat } from './centre-seat.ts';
import { centreNavigationAllowed } from './policy/centre.ts';
import { readWorkplace } from './workplace.ts';

const args = parseShellArgs(process.argv.slice(1));
const dataDir = resolveDataDir(args.data);
const development = !app.isPackaged;
/** dist/main/main.cjs sits beside dist/renderer, in the source tree and inside the asar alike. */
const rendererDir = join(__dirname, '..', 'renderer');

app.setName('Earwitness');
// Chromium's profile lives in the data folder: two data folders are two independent apps,
// the single-instance lock is per data folder, and a fresh folder is a fresh profile.
app.setPath('userData', join(dataDir, 'electron'));
app.setAppLogsPath(dataPaths(dataDir).logs);
openLogFile(dataDir);
app.enableSandbox();
registerSchemes();

let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another Earwitness has this data folder open: it gets focus (second-instance), we leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  const workplace = readWorkplace(dataDir);
  if (workplace.kind === 'centre') {
    // A seat of a review centre: the centre's UI, no local store opened at all.
    const centre = workplace;
    guardWebContents((url) => centreNavigationAllowed(url, centre.origin));
    app.whenReady().then(
      () => (mainWindow = startCentreSeat(centre, { dataDir, development })),
      (e: unknown) => fatal(e),
    );
  } else {
    guardWebContents();
    app.whenReady().then(start, (e: unknown) => fatal(e));
  }
}

function start(): void {
  try {
    // Tiles from a centre's tile server go through Chromium's network stack (system proxies,
    // a disk cache), in a session of their own so the page's session can refuse all network.
    const tiles = session.fromPartition('persist:tiles');
    const c = openCore({ dataDir, tileFetch: (url, init) => tiles.fetch(url, init) });
    core = c;
    guardSession(session.defaultSession);
    handleProtocols(c, rendererDir);
    const seats = new Seats(c);
    installIpc(c, seats, { onTheme: (theme) => (nativeTheme.themeSource = theme) });
    c.attachDesktop(desktopBridge(seats, { dataDir }));
    installMenu(c, seats, { development, dataDir });
    startBackgroundWork(c, { demo: args.demo });
    mainWindow = createMainWindow(c, seats, { development });
  } catch (e) {
    fatal(e);
  }
}

app.on('window-all-closed', () => app.quit());

let closed = false;
app.on('will-quit', (event) => {
  if (closed || !core) return;
  // Stop the workers and close the database before the process goes, so the WAL is checkpointed.
  event.preventDefault();
  const c = core;
  core = null;
  c.close()
    .catch((e: unknown) => log.error({ err: e }, 'closing the core failed'))
    .finally(() => {
      closed = true;
      app.quit();
    });
});

function fatal(e: unknown): void {
  log.fatal({ err: e }, 'Earwitness could not start');
  dialog.showErrorBox('Earwitness could not start', e instanceof Error ? e.message : String(e));
  app.exit(1);
}
