import type { DesktopBridge } from '../core/desktop.ts';
import { actorName, type Handlers } from '../core/handlers.ts';
import { UserError } from '../util/errors.ts';
import { formatIsoMicros } from '../util/time.ts';
import { buildReport } from './report/build.ts';
import { saveFileAtomically } from './save-file.ts';
import { computeStats } from './stats/compute.ts';
import { statsCsv } from './stats/csv.ts';

const day = (us: number) => formatIsoMicros(us).slice(0, 10);

/**
 * Files the auditor's view saves on the core machine: the statistics as CSV and the report as
 * HTML or PDF. The desktop app asks for the path with its native save dialog (choosePath); the
 * PDF needs the shell's Chromium, so on the loopback host it is refused and the page downloads
 * the HTML instead.
 */
export const auditFileHandlers = (bridge: () => DesktopBridge | null): Handlers<'exportAuditStats' | 'saveAuditReport'> => ({
  exportAuditStats: ({ core }, { fromUs, toUs, timeBudgetS, path, overwrite }) => {
    if (toUs <= fromUs) throw new UserError('invalid_input', 'the period ends before it starts');
    const csv = statsCsv(computeStats(core.store, fromUs, toUs, timeBudgetS));
    const saved = path === undefined ? null : saveFileAtomically(path, csv, overwrite);
    return { csv, fileName: `earwitness-statistics-${day(fromUs)}-to-${day(toUs - 1)}.csv`, saved };
  },
  saveAuditReport: async (ctx, { alertId, path, format, overwrite }) => {
    // The seal rule (reads alertId) refused an outsider before this ran: the report writes an entry.
    const printPdf = bridge()?.printPdf;
    if (format === 'pdf' && !printPdf) throw new UserError('unavailable', 'a PDF is printed by the desktop app; here, save the HTML report and print it from a browser');
    const report = buildReport(ctx.core, alertId, actorName(ctx));
    const content = format === 'pdf' ? await printPdf!(report.html, report.pdf) : report.html;
    const saved = saveFileAtomically(path, content, overwrite);
    return { ...saved, alertId, format, reportSha256: report.sha256, headSeq: report.headSeq, headHash: report.headHash };
  },
});
