import { app, dialog } from 'electron';
import type { DesktopBridge } from '../src/kernel/desktop-bridge.ts';
import { openDialogSpec, savedPath, saveDialogSpec } from './policy/dialogs.ts';
import { printReportPdf } from './report-pdf.ts';
import type { Seats } from './seats.ts';
import { saveWorkplace } from './workplace.ts';

/**
 * Native open and save dialogs, modal to the asking window; reports printed to PDF. The paths
 * chosen go to the core, which keeps them as grants of that window's session: the page only ever
 * gets the grant's id and the names (see choosePath in src/core/desktop.ts).
 */
export function desktopBridge(seats: Seats, o: { dataDir: string }): DesktopBridge {
  return {
    async chooseCentreCa(session) {
      const win = seats.windowOf(session);
      const spec = {
        title: "The centre's CA certificate (PEM)",
        buttonLabel: 'Trust this CA for the centre',
        properties: ['openFile', 'dontAddToRecent'] as ('openFile' | 'dontAddToRecent')[],
        filters: [
          { name: 'PEM certificate', extensions: ['pem', 'crt', 'cer'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const r = win ? await dialog.showOpenDialog(win, spec) : await dialog.showOpenDialog(spec);
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
    },
    async setWorkplace(workplace) {
      saveWorkplace(o.dataDir, workplace);
      // After the answer has reached the page: the app starts again, into the choice.
      setTimeout(() => {
        app.relaunch();
        app.quit();
      }, 500);
    },
    async chooseOpenPaths(session, purpose) {
      const win = seats.windowOf(session);
      const spec = openDialogSpec(purpose);
      const r = win ? await dialog.showOpenDialog(win, spec) : await dialog.showOpenDialog(spec);
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths;
    },
    async chooseSavePath(session, request) {
      const win = seats.windowOf(session);
      const spec = saveDialogSpec(request, app.getPath('documents'));
      const r = win ? await dialog.showSaveDialog(win, spec) : await dialog.showSaveDialog(spec);
      return r.canceled || !r.filePath ? null : savedPath(r.filePath, request.extensions);
    },
    printPdf: printReportPdf,
  };
}
