import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DesktopBridge } from '../kernel/desktop-bridge.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { saveFileAtomically } from '../files/save-file.ts';
import { UserError } from '../util/errors.ts';
import { formatIsoMicros } from '../util/time.ts';
import { exportAudit } from './export.ts';
import { buildReport } from './report/build.ts';
import { computeStats } from './stats/compute.ts';
import { statsCsv } from './stats/csv.ts';

const day = (us: number) => formatIsoMicros(us).slice(0, 10);
const statsFileName = (fromUs: number, toUs: number) => `earwitness-statistics-${day(fromUs)}-to-${day(toUs - 1)}.csv`;

/**
 * Files the auditor's view makes: the statistics as CSV, the report as HTML or PDF, the whole
 * chain. Seats get them as downloads (the host) or written where the desktop save dialog chose (a
 * grant); the methods with a path are the command line's (`local` in the contract), their path
 * checked against the data folder's own files. A PDF needs the desktop shell's Chromium.
 */
export const auditFileHandlers = (
  bridge: () => DesktopBridge | null,
): Handlers<'exportAuditStats' | 'saveAuditReport' | 'exportAuditFile' | 'exportAuditStatsFile' | 'saveAuditReportFile'> => ({
  exportAuditStats: async ({ core }, { fromUs, toUs, timeBudgetS, path, overwrite }) => {
    if (toUs <= fromUs) throw new UserError('invalid_input', 'the period ends before it starts');
    const target = path === undefined ? undefined : checkOutsideDataFolder(core.config.dataDir, path, 'write');
    const csv = statsCsv(await core.storePort.read((tx) => computeStats(tx, fromUs, toUs, timeBudgetS)));
    const saved = target === undefined ? null : saveFileAtomically(target, csv, overwrite);
    return { csv, fileName: statsFileName(fromUs, toUs), saved };
  },
  saveAuditReport: async (ctx, { alertId, path, format, overwrite }) => {
    const target = checkOutsideDataFolder(ctx.core.config.dataDir, path, 'write');
    // The seal rule (reads alertId) refused an outsider before this ran: the report writes an entry.
    const printPdf = bridge()?.printPdf;
    if (format === 'pdf' && !printPdf)
      throw new UserError('unavailable', 'a PDF is printed by the desktop app; here, save the HTML report and print it from a browser');
    const report = await buildReport(ctx.core, alertId, actorName(ctx));
    const content = format === 'pdf' ? await printPdf!(report.html, report.pdf) : report.html;
    const saved = saveFileAtomically(target, content, overwrite);
    return { ...saved, alertId, format, reportSha256: report.sha256, headSeq: report.headSeq, headHash: report.headHash };
  },
  exportAuditStatsFile: async (ctx, { fromUs, toUs, timeBudgetS, to }) => {
    if (toUs <= fromUs) throw new UserError('invalid_input', 'the period ends before it starts');
    const target = ctx.core.files.openTarget(ctx.session.id, to, ['statistics']);
    const csv = statsCsv(await ctx.core.storePort.read((tx) => computeStats(tx, fromUs, toUs, timeBudgetS)));
    const fileName = statsFileName(fromUs, toUs);
    return { fileName, file: await target.deliver({ fileName, contentType: 'text/csv; charset=utf-8', content: csv }) };
  },
  saveAuditReportFile: async (ctx, { alertId, format, to }) => {
    // The seal rule (reads alertId) refused an outsider before this ran.
    const printPdf = bridge()?.printPdf;
    if (format === 'pdf' && (!printPdf || to.kind !== 'grant'))
      throw new UserError('unavailable', 'a PDF is printed by the desktop app; here, download the HTML report and print it from a browser');
    // The target is settled before the report is built, since building it writes an audit entry.
    const target = ctx.core.files.openTarget(ctx.session.id, to, ['report']);
    const report = await buildReport(ctx.core, alertId, actorName(ctx));
    const content = format === 'pdf' ? await printPdf!(report.html, report.pdf) : report.html;
    const fileName = format === 'pdf' ? report.fileName.replace(/\.html$/, '.pdf') : report.fileName;
    const file = await target.deliver({ fileName, contentType: format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8', content });
    return { alertId, format, reportSha256: report.sha256, headSeq: report.headSeq, headHash: report.headHash, file };
  },
  exportAuditFile: async (ctx, { format, to }) => {
    const target = ctx.core.files.openTarget(ctx.session.id, to, ['audit-chain']);
    const work = ctx.core.files.workDir();
    try {
      const fileName = `earwitness-audit-chain-${day(ctx.core.clock.nowUs())}.${format}`;
      const path = join(work, fileName);
      const receipt = await exportAudit(ctx.core, actorName(ctx), { path, format, overwrite: false });
      const file = await target.deliver({ fileName, contentType: format === 'json' ? 'application/json' : 'application/x-ndjson', file: path });
      return { receipt: { ...receipt, path: file.fileName }, file };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
});
