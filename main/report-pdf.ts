import { BrowserWindow, session } from 'electron';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Prints a self-contained report page to PDF in a hidden window: no script, no preload, in an
 * in-memory session of its own that may load nothing but the one temporary file (the report's
 * images are data: URLs, its CSP allows nothing else). A file rather than a data: URL because
 * Chromium refuses URLs over 2 MB and a report with a dozen spectrograms is larger.
 */
export async function printReportPdf(html: string, o: { pageSize: 'A4'; printBackground: boolean; landscape: boolean }): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'earwitness-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html, 'utf8');
  const only = pathToFileURL(file).href;
  const ses = session.fromPartition('earwitness-report-print');
  // One listener per session: it admits the report files of every print under way, nothing else.
  const reports = `${pathToFileURL(join(tmpdir(), 'earwitness-report-')).href}`;
  ses.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !(details.url.startsWith('data:') || (details.url.startsWith(reports) && details.url.endsWith('/report.html'))) }),
  );
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      session: ses,
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      images: true,
      spellcheck: false,
    },
  });
  try {
    await win.loadURL(only);
    const pdf = await win.webContents.printToPDF({ pageSize: o.pageSize, printBackground: o.printBackground, landscape: o.landscape, preferCSSPageSize: true });
    return new Uint8Array(pdf);
  } finally {
    win.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
