import { app, dialog } from 'electron';
import type { DesktopBridge } from '../src/core/desktop.ts';
import { openDialogSpec, saveDialogSpec } from './policy/dialogs.ts';
import { printReportPdf } from './report-pdf.ts';
import type { Seats } from './seats.ts';

/** Native open and save dialogs, modal to the asking window; reports printed to PDF. */
export function desktopBridge(seats: Seats): DesktopBridge {
  return {
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
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    printPdf: printReportPdf,
  };
}
