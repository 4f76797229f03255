import type { DesktopBridge } from '../kernel/desktop-bridge.ts';
import { actorName, type Handlers } from '../kernel/handlers.ts';
import { checkOutsideDataFolder } from '../files/data-folder.ts';
import { saveFileAtomically } from '../files/save-file.ts';
import { UserError } from '../util/errors.ts';
import { computeFigures } from './figures/compute.ts';
import { issueOutcomeKey, listOutcomeKeys, retireOutcomeKey } from './keys.ts';
import { createOutcomeLink } from './links.ts';
import { CONTENT_TYPES, recordReportExport, renderReport, transparencyReport } from './report/build.ts';
import { changeProgrammeSettings, readProgrammeSettings } from './settings.ts';

type OutcomeMethod =
  | 'listOutcomes'
  | 'createOutcomeLink'
  | 'issueOutcomeKey'
  | 'listOutcomeKeys'
  | 'retireOutcomeKey'
  | 'getProgrammeSettings'
  | 'setProgrammeSettings'
  | 'getProgrammeFigures'
  | 'getTransparencyReport'
  | 'exportTransparencyReportFile'
  | 'exportTransparencyReport';

const PDF = { pageSize: 'A4', printBackground: true, landscape: false } as const;

/** The outcomes domain's methods: what agencies reported, their keys and links, the programme's figures and its public report. */
export const outcomeHandlers = (bridge: () => DesktopBridge | null): Handlers<OutcomeMethod> => ({
  listOutcomes: async ({ core }, { incidentId }) => {
    const found = await core.storePort.read(async (tx) => {
      if (!(await tx.incidents.get(incidentId))) return null;
      return { outcomes: await tx.outcomes.forIncident(incidentId), links: await tx.outcomes.linksForIncident(incidentId) };
    });
    if (!found) throw new UserError('not_found', `no incident ${incidentId}`);
    const links = found.links.map((l) => ({
      id: l.id,
      agency: { id: l.agencyId, name: l.agencyName },
      createdUs: l.createdUs,
      createdBy: l.createdBy,
      expiresUs: l.expiresUs,
      usedUs: l.usedUs,
    }));
    return { outcomes: found.outcomes, links };
  },
  createOutcomeLink: (ctx, { incidentId, agencyId }) => createOutcomeLink(ctx.core, incidentId, agencyId, actorName(ctx)),
  issueOutcomeKey: (ctx, { agencyId }) => issueOutcomeKey(ctx.core, agencyId, actorName(ctx)),
  listOutcomeKeys: ({ core }) => listOutcomeKeys(core),
  retireOutcomeKey: (ctx, { keyId }) => retireOutcomeKey(ctx.core, keyId, actorName(ctx)),
  getProgrammeSettings: ({ core }) => readProgrammeSettings(core.storePort),
  setProgrammeSettings: (ctx, change) => changeProgrammeSettings(ctx.core.storePort, change, actorName(ctx), ctx.core.clock.nowUs()),
  getProgrammeFigures: ({ core }, query) => computeFigures(core.storePort, query, core.clock.nowUs()),
  getTransparencyReport: ({ core }, query) => transparencyReport(core, query),
  exportTransparencyReportFile: async (ctx, { format, to, ...query }) => {
    const printPdf = bridge()?.printPdf;
    if (format === 'pdf' && (!printPdf || to.kind !== 'grant'))
      throw new UserError('unavailable', 'a PDF is printed by the desktop app; here, download the HTML report and print it from a browser');
    // The target is settled (a grant used up) before the work, so a bad one refuses the call before any audit entry.
    const target = ctx.core.files.openTarget(ctx.session.id, to, format === 'html' || format === 'pdf' ? ['report'] : ['statistics']);
    const report = await transparencyReport(ctx.core, query);
    const rendered = renderReport(report, format === 'pdf' ? 'html' : format, actorName(ctx));
    const content = format === 'pdf' ? await printPdf!(rendered.content, PDF) : rendered.content;
    const fileName = format === 'pdf' ? rendered.fileName.replace(/\.html$/, '.pdf') : rendered.fileName;
    const file = await target.deliver({ fileName, contentType: CONTENT_TYPES[format], content });
    await recordReportExport(ctx.core, actorName(ctx), report, format, file.sha256);
    return { format, sha256: file.sha256, file };
  },
  exportTransparencyReport: async (ctx, { format, path, overwrite, ...query }) => {
    const target = checkOutsideDataFolder(ctx.core.config.dataDir, path, 'write');
    const report = await transparencyReport(ctx.core, query);
    const rendered = renderReport(report, format, actorName(ctx));
    const saved = saveFileAtomically(target, rendered.content, overwrite);
    await recordReportExport(ctx.core, actorName(ctx), report, format, saved.sha256);
    return { format, path: saved.path, bytes: saved.bytes, sha256: saved.sha256 };
  },
});
