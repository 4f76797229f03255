import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import type { Workplace } from '../src/kernel/desktop-bridge.ts';
import { log } from '../src/util/log.ts';
import { guardSession } from './guards.ts';
import { centreRequestAllowed, trustedByCentreCa } from './policy/centre.ts';
import { DEFAULT_SIZE, MIN_SIZE } from './policy/window-state.ts';
import { hardenedWebPreferences } from './window.ts';
import { saveWorkplace } from './workplace.ts';

/** Chromium's answers to setCertificateVerifyProc: trust, refuse, or keep its own verdict. */
const TRUST = 0;
const REFUSE = -2;
const CHROMIUM_VERDICT = -3;

/**
 * The desktop app as a seat of a review centre: one window on the centre's own UI (people sign in
 * there, with the centre's cookie), hardened as the local app is (sandbox, context isolation, no
 * preload and so no bridge to this computer, navigation and requests to the centre's origin
 * only). The certificate is Chromium's to check; with the centre's private CA, a chain Chromium
 * does not know is trusted when that CA vouches for it, for the centre's host alone.
 */
export function startCentreSeat(centre: Extract<Workplace, { kind: 'centre' }>, o: { dataDir: string; development: boolean }): BrowserWindow {
  const host = new URL(centre.origin).hostname.replace(/^\[|\]$/g, '');
  const ses = session.defaultSession;
  guardSession(ses, (url) => centreRequestAllowed(url, centre.origin));
  ses.setCertificateVerifyProc((request, callback) => {
    if (request.verificationResult === 'net::OK' || request.hostname !== host) return callback(CHROMIUM_VERDICT);
    if (centre.caPem === null) return callback(CHROMIUM_VERDICT);
    const chain: string[] = [];
    for (let c: Electron.Certificate | undefined = request.certificate; c && chain.length < 8; c = c.issuerCert) chain.push(c.data);
    const trusted = trustedByCentreCa(chain, centre.caPem, host, Date.now());
    if (!trusted) log.warn({ host, chromium: request.verificationResult }, "the centre's certificate is not vouched for by its CA");
    callback(trusted ? TRUST : REFUSE);
  });
  installCentreMenu(o.dataDir, centre.origin);
  const win = new BrowserWindow({
    ...DEFAULT_SIZE,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: `Earwitness · ${new URL(centre.origin).host}`,
    backgroundColor: '#14171c',
    // No preload: nothing of this computer is offered to the centre's page.
    webPreferences: hardenedWebPreferences(o.development),
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-fail-load', (_e, code, description, url, isMainFrame) => {
    if (!isMainFrame) return;
    log.error({ code, description, url }, 'the centre did not answer');
    win.show();
    void dialog
      .showMessageBox(win, {
        type: 'error',
        title: 'The centre did not answer',
        message: `${centre.origin} could not be opened: ${description}.`,
        detail: 'Try again, or work on this computer (the File menu has both).',
        buttons: ['Try again', 'Work on this computer', 'Close'],
        defaultId: 0,
        cancelId: 2,
      })
      .then(({ response }) => {
        if (response === 0) void win.loadURL(centre.origin);
        else if (response === 1) workOnThisComputer(o.dataDir);
      });
  });
  void win.loadURL(centre.origin);
  return win;
}

function workOnThisComputer(dataDir: string): void {
  saveWorkplace(dataDir, { kind: 'local' });
  app.relaunch();
  app.quit();
}

function installCentreMenu(dataDir: string, origin: string): void {
  const mac = process.platform === 'darwin';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(mac ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          {
            label: `Reload ${new URL(origin).host}`,
            accelerator: 'CmdOrCtrl+R',
            click: () => void BrowserWindow.getFocusedWindow()?.webContents.loadURL(origin),
          },
          { label: 'Work on this computer instead', click: () => workOnThisComputer(dataDir) },
          { type: 'separator' },
          mac ? { role: 'close' } : { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    ]),
  );
}
